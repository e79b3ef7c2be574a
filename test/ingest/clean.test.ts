// Boilerplate and metadata rules on synthetic scraped pages (general shapes, not seed-specific strings).
import { describe, expect, it } from 'vitest';
import { IngestError, parseDocument } from '../../src/core/ingest/index.js';
import { splitUnits } from '../../src/core/ingest/clean.js';
import { titleFromText } from '../../src/core/ingest/parse.js';
import { markdownInline } from '../../src/core/ingest/markdown.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const txt = (s: string, boilerplateLines?: Set<string>) => parseDocument('page.txt', enc(s), boilerplateLines ? { boilerplateLines } : undefined);

const P1 = 'The city council voted on Monday to extend the tram line to the northern suburbs, ending a decade of debate over the route.';
const P2 = 'Supporters said the extension would cut commuting times by a third, while opponents warned that construction would disrupt local shops for years.';
const P3 = '"This is the most important transport decision of our generation," the mayor told reporters outside the council chamber.';
const P4 = 'Work on the first section is due to begin next spring, and the full line should open before the end of the decade.';

const SCRAPED = [
  'Metro Courier',
  'LOCAL NEWS',
  'Home',
  'Politics',
  'Business',
  '',
  'Council approves northern tram extension after long debate',
  'By Staff Reporters',
  'Lisbon (Reuters) Mar 4, 2024',
  'icon-facebook icon-twitter icon-mail',
  '',
  P1,
  '',
  P2,
  '',
  'ADVERTISEMENT',
  '',
  'A divided chamber',
  '',
  P3,
  '',
  P4,
  '',
  'Share this article',
  'Subscribe to our daily newsletter',
  '',
  'RELATED CONTENT',
  'LOCAL NEWS',
  'Harbour ferry fares to rise in summer',
  'Porto (Reuters) Feb 27, 2024',
  'Ferry operators will raise fares by five percent from June, the transport authority said in a statement on Tuesday afternoon. ... read more',
  '',
  'LOCAL NEWS',
  'New bike lanes open downtown',
  'Stadium renovation delayed again',
  'Library extends weekend hours',
  '',
  'Leave a Reply',
  'Your email address will not be published. Required fields are marked *',
  '',
  'Copyright 2001-2024 Metro Courier. Our advertisers use cookies; by using our website you consent to the privacy policy in force from May 25, 2018.',
].join('\n');

describe('scraped plain-text page', () => {
  const doc = txt(SCRAPED);

  it('keeps the article paragraphs verbatim and the in-article subheading', () => {
    expect(doc.text).toBe([P1, P2, 'A divided chamber', P3, P4].join('\n\n'));
  });

  it('takes the headline above the byline and the date from the dateline', () => {
    expect(doc.title).toBe('Council approves northern tram extension after long debate');
    expect(doc.publishedAt).toBe('2024-03-04');
    expect(doc.dateProvenance).toBe('dateline');
  });

  it('drops related teasers, headline lists, widgets, comments and footers', () => {
    for (const s of ['Ferry operators', 'Feb 27', 'bike lanes', 'ADVERTISEMENT', 'Share', 'Subscribe', 'Leave a Reply', 'Copyright', 'LOCAL NEWS', 'Metro Courier', 'By Staff']) {
      expect(doc.text).not.toContain(s);
    }
  });

  it('a dateline that only appears in related content is not the publication date', () => {
    const withoutOwnDateline = SCRAPED.replace('Lisbon (Reuters) Mar 4, 2024\n', '');
    const d = txt(withoutOwnDateline);
    expect(d.publishedAt).toBeNull();
    expect(d.dateProvenance).toBeNull();
    expect(d.dateConfidence).toBe(0);
    expect(d.text).not.toContain('Ferry operators');
  });
});

describe('dates', () => {
  it('reads a bare date line and a "Published:" label above the body', () => {
    expect(txt(`Tram line approved\n\nTue Aug 15 2023\n\n${P1}\n\n${P2}`).publishedAt).toBe('2023-08-15');
    const labelled = txt(`Tram line approved\nPublished: 2024-03-01 | Updated: 2024-03-05\n\n${P1}\n\n${P2}`);
    expect(labelled.publishedAt).toBe('2024-03-01');
    expect(labelled.text).toBe(`${P1}\n\n${P2}`);
  });

  it('reads an agency dateline with the day repeated before the agency', () => {
    expect(txt(`Tram line approved\nLisbon, Mar 4 (AFP) Mar 4, 2024\n${P1}\n\n${P2}`).publishedAt).toBe('2024-03-04');
  });

  it('takes a byline date with byline provenance', () => {
    const d = txt(`Tram line approved\nBy Ana Costa | March 3, 2024\n\n${P1}\n\n${P2}`);
    expect(d.publishedAt).toBe('2024-03-03');
    expect(d.dateProvenance).toBe('byline');
  });

  it('reads an inline dateline at the start of the first paragraph', () => {
    const d = txt(`BERLIN, March 3, 2024 (Reuters) - ${P1}\n\n${P2}`);
    expect(d.publishedAt).toBe('2024-03-03');
    expect(d.text.startsWith('BERLIN, March 3, 2024 (Reuters) - ')).toBe(true);
  });

  it('ignores a "today" banner above the site name and headline', () => {
    const page = `Monday, March 4, 2024\nThe Valley Times\nHome | News | Sport | Weather\n\nTram line approved after long debate\n\n${P1}\n\n${P2}`;
    expect(txt(page).publishedAt).toBeNull();
  });

  it('never uses copyright years, privacy-notice dates, relative dates or dates inside the body', () => {
    const footerOnly = txt(`${P1}\n\n${P2}\n\n© 2024 Metro Courier. All rights reserved.\nPrivacy statement effective from May 25, 2018.`);
    expect(footerOnly.publishedAt).toBeNull();
    expect(txt(`Tram line approved\nUpdated 5 hours ago\n\n${P1}\n\n${P2}`).publishedAt).toBeNull();
    expect(txt(`Tram line approved\n\n${P1}\n\nThe vote took place on March 3, 2024, after a long session.\n\n${P2}`).publishedAt).toBeNull();
    expect(txt(`Tram line approved\n\n${P1}\n\nSeoul (AFP) Jan 2, 2024\n\n${P2}\n\n${P3}`).publishedAt).toBeNull();
    expect(txt('Copyright 1995-2024 Metro Courier\n\n' + P1 + '\n\n' + P2).publishedAt).toBeNull();
  });
});

describe('titles', () => {
  it('skips the site name, section labels and menus; takes a headline printed twice once', () => {
    const d = txt(`News From Somewhere.com\nWORLD\nMinisters agree on a new fisheries deal\nMinisters agree on a new fisheries deal\n\n${P1}\n\n${P2}`);
    expect(d.title).toBe('Ministers agree on a new fisheries deal');
    expect(d.text).toBe(`${P1}\n\n${P2}`);
  });

  it('derives a short title from the first sentence when the page has no headline', () => {
    const d = txt(`${P1}\n\n${P2}`);
    expect(d.title.length).toBeLessThanOrEqual(90);
    expect(d.title.endsWith('…')).toBe(true);
    expect(P1.startsWith(d.title.slice(0, -1))).toBe(true);
  });

  it('titleFromText keeps a short first sentence whole and does not split at abbreviations', () => {
    expect(titleFromText('Mr. Smith met U.S. officials. Then he left.')).toBe('Mr. Smith met U.S. officials');
    const long = titleFromText('A'.repeat(5) + ' word'.repeat(40) + '.');
    expect(long.length).toBeLessThanOrEqual(90);
    expect(long.endsWith('…')).toBe(true);
    expect(long).not.toMatch(/\s…$/);
  });
});

describe('units and repetition', () => {
  it('keeps one paragraph per line, and joins hard-wrapped prose', () => {
    expect(splitUnits('Alpha one\nBeta two\n\nGamma')).toEqual(['Alpha one', 'Beta two', 'Gamma']);
    const wrapped =
      'The committee said on Thursday that the new rules would apply to all\nregistered vessels from next year, and that inspections would be carried\nout by the regional authority rather than by the national coastguard.';
    expect(splitUnits(wrapped)).toEqual([wrapped]);
    expect(txt(`Harbour rules tightened\n\n${wrapped}\n\n${P2}`).text).toBe(`${wrapped}\n\n${P2}`);
  });

  it('drops short lines that the corpus marks as cross-document boilerplate, never article sentences', () => {
    const page = `Tram line approved\n\n${P1}\n\nCourier Network Partner\n\n${P2}`;
    expect(txt(page).text).toBe(`${P1}\n\nCourier Network Partner\n\n${P2}`);
    const d = txt(page, new Set(['courier network partner', P2.toLowerCase()]));
    expect(d.text).toBe(`${P1}\n\n${P2}`);
  });

  it('keeps the article going after an inline related box, including a lone last paragraph', () => {
    const box = 'Related Stories\nBridge closed for repairs\nMarket hits record high';
    expect(txt(`${P1}\n\n${box}\n\n${P2}\n\n${P3}\n\nShare`).text).toBe(`${P1}\n\n${P2}\n\n${P3}`);
    expect(txt(`${P1}\n\n${P2}\n\n${box}\n\n${P4}\n\nShare\n© 2024 Courier`).text).toBe(`${P1}\n\n${P2}\n\n${P4}`);
  });

  it('drops a list of headlines between article parts but keeps a list announced by a colon', () => {
    const headlines = 'Bridge closed for repairs\nMarket hits record high\nLocal team wins final';
    expect(txt(`${P1}\n\n${headlines}\n\n${P2}`).text).toBe(`${P1}\n\n${P2}`);
    const intro = 'The plan has three parts:';
    const items = '- a new depot\n- twelve new trams\n- longer platforms';
    expect(txt(`${P1}\n\n${intro}\n${items}\n\n${P2}`).text).toContain('- twelve new trams');
  });

  it('keeps the items of a bulleted changelog, though unpunctuated, and drops a bulleted menu', () => {
    const notes = ['+ Added a spectator mode for watching other players', '+ Added three new statistics to the game', '* Max view distance has been increased to 32 tiles', '* Buttons can now be placed on the ceiling'].join('\n');
    const text = txt(`${P1}\n\n${notes}\n\n${P2}`).text;
    expect(text).toContain('* Max view distance has been increased to 32 tiles');
    expect(text).toContain('* Buttons can now be placed on the ceiling');
    const html = parseDocument('notes.html', enc(`<html><body><p>${P1}</p><p>${notes.split('\n').join('<br />')}</p><p>${P2}</p></body></html>`));
    expect(html.text).toContain('+ Added three new statistics to the game');
    const menu = '- Home\n- World News\n- Sport\n- Sign In';
    expect(txt(`${P1}\n\n${menu}\n\n${P2}`).text).toBe(`${P1}\n\n${P2}`);
  });

  it('drops the entries of a reference list, and keeps a paragraph that is a quotation', () => {
    const refs = ['"Rhino History". Mozilla Foundation. Retrieved 2008-03-20.', 'Eich, Brendan (21 June 2011). "New Engine Module Owner". BrendanEich.com.', '"Mobile System Requirements".'].join('\n\n');
    const quote = '“This is a historic day for both of our countries and for the whole region.”';
    const text = txt(`${P1}\n\n${quote}\n\n${P2}\n\n${refs}`).text;
    expect(text).toContain(quote);
    expect(text).not.toContain('Rhino History');
    expect(text).not.toContain('BrendanEich.com');
  });

  it('keeps a changelog’s terse items when nearly all of its run is kept', () => {
    const notes = [
      '+ Added a spectator mode for watching other players',
      '+ Added three new statistics to the game',
      '* Max view distance has been increased to 32 tiles',
      '* Buttons can now be placed on the ceiling',
      '* Villager trading has been rebalanced for everyone',
      '* Lots and lots of other changes',
      '- Removed Herobrine',
    ].join('\n');
    expect(txt(`${P1}\n\n${notes}\n\n${P2}`).text).toContain('- Removed Herobrine');
  });

  it('joins a paragraph an HTML page wraps by hand with <br>, and keeps short <br> lines apart', () => {
    const wrapped = [
      'Fetch introduces three interfaces. These are Headers, Request and',
      'Response. They map directly to the underlying HTTP concepts, but have',
      'certain visibility filters in place for privacy and security reasons, such as',
      'supporting CORS rules and keeping cookies unreadable by third parties.',
    ];
    const address = ['Harbour Office', '12 Quay Street', 'Port Ellen'];
    const html = `<html><body><p>${P1}</p><p>${wrapped.join('<br/>\n')}</p><p>${address.join('<br>')}</p><p>${P2}</p></body></html>`;
    const text = parseDocument('fetch.html', enc(html)).text;
    expect(text).toContain(wrapped.join('\n'));
    expect(text).not.toContain('Harbour Office\n12 Quay Street');
  });

  it('joins a sentence a <br> breaks inside a name, at the end of the article ("…and Ben<br>Kelly for helping…")', () => {
    const thanks = '<em>The author would like to thank Andrea Marchesini, Anne van Kesteren and Ben<br/>\nKelly for helping with the specification and implementation.</em>';
    const html = `<html><body><article><p>${P1}</p><p>${P2}</p><p>${thanks}</p></article></body></html>`;
    expect(parseDocument('fetch.html', enc(html)).text).toContain('and Ben Kelly for helping with the specification and implementation.');
  });

  it('keeps the paragraphs of preformatted text apart (a plain-text RFC: page header, section heading, paragraph)', () => {
    const pre = [
      'Internet-Draft              remoteStorage                  December 2014',
      '',
      '',
      '10. Application-first bearer token issuance',
      '',
      '    To make a remoteStorage server available as the storage of an account, exactly one',
      '    link of the following format SHOULD be added to the WebFinger record of that account,',
      '    and the server MUST answer requests for it over a secure connection.',
    ].join('\n');
    const html = `<html><body><p>${P1}</p><pre>${pre}</pre><p>${P2}</p></body></html>`;
    const text = parseDocument('draft.html', enc(html)).text;
    expect(text).toMatch(/\n\nTo make a remoteStorage server available/);
    expect(text).not.toContain('issuance To make');
  });

  it('shows a formula as "…" and supplies the space a page leaves out at the end of a link or code span', () => {
    const html = `<html><body><p>${P1}</p><p>The difference of a square matrix and its conjugate transpose <span class="mwe-math-element"><math><mi>A</mi></math></span> is skew-Hermitian, as every textbook on linear algebra explains at length.</p><p>We will work with <a href="/u">The Ubyssey</a>next school year, and support checks for <code>Headers</code>,<code>Request</code> and the <code>body</code>of a response in all modern browsers.</p><p>${P2}</p></body></html>`;
    const text = parseDocument('page.html', enc(html)).text;
    expect(text).toContain('conjugate transpose … is skew-Hermitian');
    expect(text).toContain('The Ubyssey next school year');
    expect(text).toContain('Headers, Request and the body of a response');
  });

  it('drops "READ MORE:" inserts inside the article', () => {
    const insert = "READ MORE: Who could be the city's next mayor?";
    expect(txt(`${P1}\n\n${insert}\n\n${P2}`).text).toBe(`${P1}\n\n${P2}`);
  });

  it('does not mistake sentences that start like widgets for widgets', () => {
    const shares = 'Share prices of the tram maker rose sharply on the news, analysts said.';
    expect(txt(`${P1}\n\n${shares}\n\n${P2}`).text).toContain(shares);
  });

  it('throws IngestError "no article text" when nothing but furniture remains', () => {
    expect(() => txt('Home\nNews\nSport\n\nADVERTISEMENT\n\n© 2024 Somewhere. All rights reserved.')).toThrow(IngestError);
    try {
      txt('Home\nNews\nSport');
    } catch (e) {
      expect((e as IngestError).reason).toBe('no article text');
    }
  });
});

describe('markdownInline', () => {
  it('strips links, images, emphasis and code but keeps text and snake_case', () => {
    expect(markdownInline('See [the report](https://x.org/a_(b)) and ![img](p.png) **now**')).toBe('See the report and  now');
    expect(markdownInline('*one* _two_ __three__ ~~four~~ `five` snake_case_name 5 * 3')).toBe('one two three four five snake_case_name 5 * 3');
    expect(markdownInline('Escaped \\*stars\\* &amp; more')).toBe('Escaped *stars* & more');
  });
});
