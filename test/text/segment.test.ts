import { describe, expect, it } from 'vitest';
import { proseExtents, proseSentences } from '../../src/core/text/segment.js';
import { splitSentences } from '../../src/core/text/sentences.js';

const overlaps = (span: { start: number; end: number }, parts: ReadonlyArray<{ start: number; end: number }>) => parts.some((p) => p.start < span.end && span.start < p.end);

describe('prose extents', () => {
  const text = [
    'Summit plan: 40 units at stake',
    '',
    'Seoul (Yonhap) Dec 30, 2025 - The leaders met in Tokyo on Monday. They agreed to talk again in the U.S. The talks were short.',
    '',
    'Photo: the leaders, smiling',
    '',
    'Mr. Kim said the meeting went well for both sides. "We are hopeful," he added after the dinner.',
    '',
    'Related stories:',
    '',
    'Another story about something else entirely happened today in Busan.',
  ].join('\n');

  it('tell the same sentences apart as the prose sentences do', () => {
    for (const options of [{ keepBoilerplate: true }, {}]) {
      const sentences = proseSentences(text, options);
      const extents = proseExtents(text, options);
      expect(extents.length).toBeGreaterThan(0);
      for (const span of splitSentences(text)) expect(overlaps(span, extents)).toBe(overlaps(span, sentences));
    }
  });

  it('leave out the headline, the caption and the teaser after the section marker', () => {
    const extents = proseExtents(text, { keepBoilerplate: true });
    const covered = (words: string) => overlaps({ start: text.indexOf(words), end: text.indexOf(words) + words.length }, extents);
    expect(covered('The leaders met in Tokyo')).toBe(true);
    expect(covered('Mr. Kim said')).toBe(true);
    expect(covered('Summit plan')).toBe(false);
    expect(covered('Photo: the leaders')).toBe(false);
    expect(covered('Another story')).toBe(false);
  });
});
