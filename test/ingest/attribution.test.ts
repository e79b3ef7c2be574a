// An embedded post ends with whose words it holds ("— Jane Roe (@jroe) August 22, 2013"): that line is content, not a
// dateline — and, not being one, it does not open a region of teasers that would drop the prose after it.
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/core/ingest/index.js';

const paragraph = (n: number) =>
  `<p>Paragraph ${n} of the post explains, at some length and with a couple of examples, how the coverage tool plugs into a test runner and what it reports.</p>`;

function page(quote: string): Uint8Array {
  const html = `<!DOCTYPE html><html><head><title>Cover your code</title></head><body>
    <main><article><h1>Cover your code</h1><p class="date">March 3, 2014</p>${paragraph(1)}${quote}${[2, 3, 4].map(paragraph).join('')}</article></main>
    <footer>© 2014 Example</footer></body></html>`;
  return new TextEncoder().encode(html);
}

describe('a quotation’s attribution line', () => {
  it('is kept, and the prose after it too', () => {
    const doc = parseDocument(
      'post.html',
      page('<blockquote class="twitter-tweet"><p>Drinking game for web devs:<br>(1) Think of a noun<br>(2) If a library has that name, drink</p>— Jane Roe (@jroe) <a href="https://example.com/s/1">August 22, 2013</a></blockquote>'),
    );
    expect(doc.text).toContain('— Jane Roe (@jroe) August 22, 2013');
    expect(doc.text).toContain('Paragraph 2 of the post');
    expect(doc.publishedAt?.startsWith('2014-03-03')).toBe(true);
  });
});
