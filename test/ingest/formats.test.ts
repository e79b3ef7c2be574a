// Markdown with front matter and HTML pages.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IngestError, parseDocument } from '../../src/core/ingest/index.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/ingest');
const fixture = (name: string): Uint8Array => readFileSync(path.join(fixtures, name));
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

const P1 = 'The regional water board said on Wednesday that reservoir levels had recovered to their long-term average after a wet winter.';
const P2 = 'Officials lifted the hosepipe ban that had been in place since last July, but urged households to keep saving water where they can.';

describe('markdown', () => {
  const doc = parseDocument('farm/orchard-report.md', fixture('orchard-report.md'));

  it('reads title, date and url from front matter', () => {
    expect(doc.format).toBe('md');
    expect(doc.source).toBe('farm/orchard-report.md');
    expect(doc.title).toBe('Orchard growers brace for late frost');
    expect(doc.publishedAt).toBe('2024-04-09');
    expect(doc.dateProvenance).toBe('front-matter');
    expect(doc.dateConfidence).toBeGreaterThan(0.9);
    expect(doc.url).toBe('https://farm.example.com/orchard-frost');
  });

  it('converts the body to plain text without markup, title heading or footer', () => {
    expect(doc.text.startsWith('Fruit growers across the upper valley spent Tuesday night lighting smudge pots')).toBe(true);
    expect(doc.text).toContain('warned of a late frost that could damage early apple blossoms.');
    expect(doc.text).toContain('said roughly a third of member orchards');
    expect(doc.text).toContain('What growers are doing\n\nRunning wind machines to mix warmer air down into the rows');
    expect(doc.text).toContain('Insurers said claims would be assessed only after petals fall, when losses can be counted with confidence.');
    for (const s of ['#', '**', '](', 'https://', 'Orchard growers brace', 'newsletter', '©', '- Running']) expect(doc.text).not.toContain(s);
  });

  it('keeps the calendar date written in front matter despite a time zone', () => {
    const d = parseDocument('a.md', enc(`---\ntitle: Water ban lifted\ndate: 2024-03-01T02:00:00+09:00\n---\n${P1}\n\n${P2}\n`));
    expect(d.publishedAt).toBe('2024-03-01');
  });

  it('indexes a file with broken front matter using the readable keys', () => {
    const broken = `---\ntitle: Water ban lifted [draft\ndate: 2024-05-02\nurl: https://water.example.net/ban\n---\n${P1}\n\n${P2}\n`;
    const d = parseDocument('broken.md', enc(broken));
    expect(d.title).toBe('Water ban lifted [draft');
    expect(d.publishedAt).toBe('2024-05-02');
    expect(d.url).toBe('https://water.example.net/ban');
    expect(d.text).toBe(`${P1}\n\n${P2}`);
  });

  it('handles unclosed front matter and no front matter', () => {
    const unclosed = parseDocument('u.md', enc(`---\ntitle: Water ban lifted\ndate: 2024-05-02\n\n${P1}\n\n${P2}\n`));
    expect(unclosed.title).toBe('Water ban lifted');
    expect(unclosed.publishedAt).toBe('2024-05-02');
    expect(unclosed.text).toBe(`${P1}\n\n${P2}`);

    const plain = parseDocument('p.md', enc(`# Water ban lifted\n\nPublished: June 3, 2024\n\n${P1}\n\n${P2}\n`));
    expect(plain.title).toBe('Water ban lifted');
    expect(plain.publishedAt).toBe('2024-06-03');
    expect(plain.dateProvenance).toBe('dateline');
    expect(plain.text).toBe(`${P1}\n\n${P2}`);
  });

  it('a front matter without a date gives null, never a date from the footer', () => {
    const d = parseDocument('n.md', enc(`---\ntitle: Water ban lifted\n---\n${P1}\n\n${P2}\n\nCopyright 2019-2024 Water News. All rights reserved.\n`));
    expect(d.publishedAt).toBeNull();
    expect(d.dateConfidence).toBe(0);
    expect(d.text).toBe(`${P1}\n\n${P2}`);
  });
});

describe('html', () => {
  const doc = parseDocument('harbour-article.html', fixture('harbour-article.html'));

  it('reads og:title, article:published_time (as written) and canonical url', () => {
    expect(doc.format).toBe('html');
    expect(doc.title).toBe('Port authority approves harbour expansion after two-year review');
    expect(doc.publishedAt).toBe('2024-03-01');
    expect(doc.dateProvenance).toBe('meta-tag');
    expect(doc.url).toBe('https://news.example.org/harbour-expansion');
  });

  it('keeps the article paragraphs and drops nav, header, footer, aside, captions and scripts', () => {
    const paragraphs = doc.text.split('\n\n');
    expect(paragraphs).toHaveLength(4);
    expect(paragraphs[0]).toMatch(/^The regional port authority on Friday approved/);
    expect(doc.text).toContain('disturb seagrass beds that shelter juvenile fish.');
    expect(paragraphs[3]).toBe('Construction is expected to start in the autumn and to last about eighteen months, according to the authority’s published schedule.');
    for (const s of ['Coastal Ledger', 'Sport', 'Weather', 'Related stories', 'Ferry timetable', 'Photo:', '©', 'cookies', 'analytics', 'trackPageView', 'By Mara']) {
      expect(doc.text).not.toContain(s);
    }
  });

  const page = (head: string, body: string): Uint8Array =>
    enc(`<!DOCTYPE html><html><head>${head}</head><body>${body}</body></html>`);

  it('falls back to <title> without its site suffix, and to <time datetime> for the date', () => {
    const d = parseDocument(
      'x.html',
      page('<title>Water ban lifted after wet winter | The Daily Drop</title>', `<article><time datetime="2024-05-06T08:00:00Z">6 May</time><p>${P1}</p><p>${P2}</p></article>`),
    );
    expect(d.title).toBe('Water ban lifted after wet winter');
    expect(d.publishedAt).toBe('2024-05-06');
    expect(d.dateProvenance).toBe('meta-tag');
    expect(d.url).toBeNull();
  });

  it('reads datePublished from JSON-LD and og:url when there is no canonical link', () => {
    const ld = '<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle","datePublished":"2023-11-20T10:00:00-05:00"}]}</script>';
    const d = parseDocument('y.htm', page(`${ld}<meta property="og:url" content="https://drop.example.com/ban">`, `<p>${P1}</p><p>${P2}</p>`));
    expect(d.publishedAt).toBe('2023-11-20');
    expect(d.url).toBe('https://drop.example.com/ban');
  });

  it('uses a dateline in the article header when no meta tag gives a date', () => {
    const d = parseDocument(
      'z.html',
      page('<title>Water ban lifted</title>', `<article><header><h1>Water ban lifted</h1><p>Published: July 8, 2024</p></header><p>${P1}</p><p>${P2}</p></article>`),
    );
    expect(d.publishedAt).toBe('2024-07-08');
    expect(d.dateProvenance).toBe('dateline');
  });

  it('applies the page rules when Readability returns a whole div-soup page', () => {
    const body =
      '<div><a>Home</a> <a>World</a></div><div>News</div>' +
      `<div class="content"><h2>Water ban lifted</h2><span>March 3, 2024</span><br>${P1}<br><br>${P2}<br></div>` +
      '<div>More stories</div><div>Reservoir walk reopens</div><div>Dam inspection due</div><div>© 2024 Drop Media. All rights reserved.</div>';
    const d = parseDocument('soup.html', page('', body));
    expect(d.title).toBe('Water ban lifted');
    expect(d.publishedAt).toBe('2024-03-03');
    expect(d.dateProvenance).toBe('dateline');
    expect(d.text).toBe(`${P1}\n\n${P2}`);
  });

  it('indexes an HTML fragment without <html>/<body>', () => {
    const d = parseDocument('frag.html', enc(`<title>Water ban lifted</title><h1>Water ban lifted</h1><p>${P1}</p><p>${P2}</p>`));
    expect(d.title).toBe('Water ban lifted');
    expect(d.text).toBe(`${P1}\n\n${P2}`);
    expect(d.publishedAt).toBeNull();
  });

  it('decodes a Windows-1252 page declared in a meta charset', () => {
    const html = `<html><head><meta charset="windows-1252"><title>Caf\xe9 reopens</title></head><body><p>The caf\xe9 on the quay reopened on Saturday after a three-month renovation, the owners said in a statement.</p><p>Regulars queued from early morning to get one of the new window seats overlooking the water.</p></body></html>`;
    const d = parseDocument('latin.html', Uint8Array.from(html, (c) => c.charCodeAt(0)));
    expect(d.title).toBe('Café reopens');
    expect(d.text).toContain('The café on the quay reopened');
  });

  it('a page with no text is skipped as "no article text"', () => {
    expect(() => parseDocument('e.html', page('<title>Nothing</title>', '<nav><a href="/">Home</a></nav><script>x()</script>'))).toThrow(IngestError);
    try {
      parseDocument('e.html', page('<title>Nothing</title>', '<nav><a href="/">Home</a></nav>'));
    } catch (e) {
      expect((e as IngestError).reason).toBe('no article text');
    }
  });
});
