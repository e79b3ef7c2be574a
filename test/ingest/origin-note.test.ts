// A syndicated post's note of where and when it first appeared ("Originally published at … on …") sits apart from
// the article body, where Readability drops it; it is kept, because it is what dates the writing.
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/core/ingest/index.js';

const paragraph = (n: number) =>
  `<p>Paragraph ${n} of the essay argues, at some length and with several examples, that a word used loosely for emphasis still carries meaning, and that readers understand it from the context in which it appears.</p>`;

function page(footer: string): Uint8Array {
  const html = `<!DOCTYPE html><html><head><title>On behalf of a word</title></head><body>
    <nav><a href="/">Home</a> <a href="/about">About</a></nav>
    <main><article><h1>On behalf of a word</h1>${[1, 2, 3, 4, 5, 6].map(paragraph).join('')}</article>
    <section class="section--last"><div><p>${footer}</p></div></section></main>
    <footer>© 2015 Example Media</footer></body></html>`;
  return new TextEncoder().encode(html);
}

describe('an origin note outside the article', () => {
  it('is kept, once, after the article', () => {
    const doc = parseDocument('essay.html', page('<em>Originally published at </em><a href="https://example.com/essay">www.example.com</a> on November 18, 2011.'));
    expect(doc.text).toContain('Paragraph 6 of the essay');
    expect(doc.text).toContain('Originally published at www.example.com on November 18, 2011.');
    expect(doc.text.split('Originally published').length).toBe(2);
    expect(doc.text.indexOf('Originally published')).toBeGreaterThan(doc.text.indexOf('Paragraph 6'));
  });

  it('is the only kind of footer line kept', () => {
    const doc = parseDocument('essay.html', page('Share this story with your friends and follow us for more.'));
    expect(doc.text).not.toContain('Share this story');
  });
});
