// The address a document added by link cites, and the name it is stored under.
import { describe, expect, it } from 'vitest';
import { citationAddress, linkFileName } from '../../src/commands/add.js';

describe('citationAddress', () => {
  it('takes the page’s canonical address on its own site, never another site’s', () => {
    expect(citationAddress('https://www.news.example/a/story', 'https://news.example/a/story?utm=x')).toBe('https://www.news.example/a/story');
    expect(citationAddress('https://news.example/a/story#top', 'https://amp.news.example/story')).toBe('https://news.example/a/story');
    expect(citationAddress('https://m.news.example/a/story', 'https://www.news.example/a/story?x')).toBe('https://m.news.example/a/story');
    expect(citationAddress('https://trusted.example/story', 'https://attacker.example/story')).toBe('https://attacker.example/story');
    // A user's subdomain cannot claim the host's own address, nor another user's.
    expect(citationAddress('https://pages.example/official', 'https://alice.pages.example/post')).toBe('https://alice.pages.example/post');
    expect(citationAddress('https://bob.pages.example/post', 'https://alice.pages.example/post')).toBe('https://alice.pages.example/post');
    expect(citationAddress('javascript:alert(1)', 'https://news.example/x')).toBe('https://news.example/x');
    expect(citationAddress(null, 'https://news.example/x')).toBe('https://news.example/x');
  });
});

describe('linkFileName', () => {
  it('names a fetched document after its host and last path segment, with its format’s extension', () => {
    expect(linkFileName('https://www.news.example/2025/06/lumen-bridge-opens', 'html')).toBe('news.example-lumen-bridge-opens.html');
    expect(linkFileName('https://reports.example/files/Quay%20Report.pdf', 'pdf')).toBe('reports.example-Quay-Report.pdf');
    expect(linkFileName('https://news.example/', 'html')).toBe('news.example.html');
    expect(linkFileName('https://news.example/bad%E0%A4%A', 'txt')).toBe('news.example-bad-E0-A4-A.txt');
  });
});
