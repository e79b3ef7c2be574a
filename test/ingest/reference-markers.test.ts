// Encyclopedia reference markers ("[3]", "[citation needed]", "[edit]") never reach a sentence or a quote, while
// brackets that belong to the text ("[sic]", "log[i]", "[1, 2]", "“[My father] …”") stay.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/core/ingest/index.js';
import { isBracketedMarker, stripReferenceMarkers } from '../../src/core/ingest/footnotes.js';
import { splitSentences } from '../../src/core/text/sentences.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/ingest');
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('an encyclopedia page', () => {
  const doc = parseDocument('lighthouse.html', readFileSync(path.join(fixtures, 'encyclopedia-article.html')));
  const sentences = splitSentences(doc.text).map((s) => s.text);

  it('loses its footnote calls, maintenance tags and edit links', () => {
    expect(doc.text).not.toMatch(/\[(?:\d+|a|note 1|citation needed|edit)\]/);
    expect(doc.text).not.toContain('citation needed');
    expect(doc.text.split('\n\n')).toContain('History');
    expect(doc.text).not.toContain('^ Coastal Trust');
  });

  it('cuts sentences where the prose does, so no quote starts with "3]" or ends with "["', () => {
    expect(sentences).toContain('One day later, Ada Marsh from the coast guard registered the station as a museum.');
    expect(sentences).toContain('The last keepers of the northern coast left their station in 1998.');
    expect(sentences).toContain('Keepers trimmed the wicks every four hours through the night, a duty recorded in the station log.');
    for (const sentence of sentences) {
      expect(sentence).not.toMatch(/^\w{0,8}\]/);
      expect(sentence).not.toMatch(/\[$/);
    }
  });

  it('keeps brackets and superscripts that are part of the text', () => {
    expect(doc.text).toContain('the log was "kept [sic] with more care than the family Bible".');
    expect(doc.text).toContain('written log[i], with pairs such as [1, 2] for the first two nights.');
    expect(doc.text).toContain('a tower of 102 metres');
    expect(doc.text).toContain('“[My father] never missed a night,” his son told the local paper.');
  });

  it('marks a call inside a sentence with "…", so a quote of it is still found on the page as a reader sees it', () => {
    const html = `<html><body><p>${'Filler prose sentence for the article body that is long enough. '.repeat(3)}</p><p>Eich stepped down on April 3, 2014<sup class="reference"><a href="#cite_note-27">[27]</a></sup> and Mitchell Baker posted a statement.<sup class="reference"><a href="#cite_note-28">[28]</a></sup> The board agreed.</p></body></html>`;
    const text = parseDocument('page.html', enc(html)).text;
    expect(text).toContain('Eich stepped down on April 3, 2014… and Mitchell Baker posted a statement. The board agreed.');
  });

  it('stores the cleaned text, so every sentence is a verbatim span of it', () => {
    for (const span of splitSentences(doc.text)) expect(doc.text.slice(span.start, span.end)).toBe(span.text);
  });
});

describe('stripReferenceMarkers (markers that arrive as plain text)', () => {
  it('removes calls after punctuation, maintenance tags and edit links', () => {
    expect(stripReferenceMarkers('Free software.[1] The community grew.[2][3]')).toBe('Free software. The community grew.');
    expect(stripReferenceMarkers('on mobile platforms (primarily Android),[13] a mobile OS,[14] and more.[a]')).toBe(
      'on mobile platforms (primarily Android), a mobile OS, and more.',
    );
    expect(stripReferenceMarkers('She said so.”[note 1] Then left.')).toBe('She said so.” Then left.');
    expect(stripReferenceMarkers('Firefox runs on phones (primarily Android)[13] and tablets.')).toBe('Firefox runs on phones (primarily Android) and tablets.');
    expect(stripReferenceMarkers('towards the goals set forth[citation needed]. It includes')).toBe('towards the goals set forth. It includes');
    expect(stripReferenceMarkers('The claim stands. [who?] More text.')).toBe('The claim stands. More text.');
    expect(stripReferenceMarkers('History[edit]\nFirefox OS [edit source]\nBody.')).toBe('History\nFirefox OS\nBody.');
  });

  it('leaves indices, formulas, editorial brackets and bracketed quote insertions alone', () => {
    for (const text of [
      'x = a[i] + a[1];',
      'the pair [1, 2] is the first',
      'f(x)[0] + 1',
      'the list (of items)[0] = first',
      'merge:[6] fix bug 24 (v2 by bob)',
      'const root = /Root/.exec(trailer)?.[1];',
      'jq .[0] prints the first item',
      'He was "kept [sic] in the dark".',
      '“[My husband] wouldn’t die for a flag,” she said.',
      'See the appendix [Hol14] for details.',
      'Section [edit] links are described below.',
    ]) {
      expect(stripReferenceMarkers(text)).toBe(text);
    }
  });

  it('recognises an element that holds only a marker', () => {
    for (const marker of ['[3]', '[a]', '[note 1]', '[citation needed]', '[clarification needed]', '[edit]']) expect(isBracketedMarker(marker)).toBe(true);
    for (const text of ['[sic]', '[1, 2]', '2', 'H', '[My father]']) expect(isBracketedMarker(text)).toBe(false);
  });
});

describe('a plain-text copy of an article', () => {
  it('loses its footnote calls too', () => {
    const text =
      'Lighthouse keeping was a trade practised on remote coasts for more than two centuries, and most stations were automated.[1] One day later, Ada Marsh from the coast guard registered the station as a museum.[2]\n';
    const doc = parseDocument('lighthouse.txt', enc(text));
    expect(doc.text).toBe(
      'Lighthouse keeping was a trade practised on remote coasts for more than two centuries, and most stations were automated. One day later, Ada Marsh from the coast guard registered the station as a museum.',
    );
  });
});
