import { describe, expect, it } from 'vitest';
import type { Timeline, TimelineEvent } from '../../src/core/types.js';
import { timelineSvg } from '../../src/core/timeline/svg.js';
import { renderTimelineImage } from '../../src/commands/timeline-image.js';

const cite = (n: number) => [{ n, source: `d${n}.txt`, title: `Doc ${n}`, quote: 'q', start: 0, end: 1 }];
const event = (date: string, text: string, n: number, status: TimelineEvent['status'] = 'happened'): TimelineEvent => ({ date, status, text, citations: cite(n) });

const timeline: Timeline = {
  entities: [
    { name: 'japan', label: 'Japan', aliases: ['Tokyo'], source: 'curated' },
    { name: 'learned:camp david', label: 'Camp David', aliases: [], source: 'learned' },
  ],
  events: [
    event('1910/1945', 'Japan ruled the Korean peninsula & more <for decades>.', 1),
    event('1965', 'Diplomatic relations were normalised.', 1),
    event('2023-08', 'Leaders met at Camp David.', 2),
    event('2023-08', 'A hotline was agreed at the same summit.', 3),
    event('2026-01-04', 'A state visit is planned.', 2, 'planned'),
  ],
  undated: [{ text: 'Officials talked at some point.', citations: cite(4) }],
};

/** The structure of the drawing, not its pixels: marks, their dates and kinds, ticks, undated items. */
function structure(svg: string) {
  const marks = [...svg.matchAll(/<g class="event" data-date="([^"]+)" data-status="(\w+)" data-count="(\d+)">.*?<(circle|rect) class="(dot planned|dot happened|range)"/g)].map(
    (m) => `${m[1]} ${m[2]} ×${m[3]} ${m[5]}`,
  );
  const ticks = [...svg.matchAll(/<g class="tick">.*?>(\d{4})<\/text><\/g>/g)].map((m) => m[1]);
  return { marks, ticks, breaks: (svg.match(/class="break"/g) ?? []).length, undated: (svg.match(/class="undated"/g) ?? []).length };
}

describe('timeline picture', () => {
  it('draws one mark per date: dots (hollow when planned), bars for ranges, shared dates once; year ticks; undated beside', () => {
    const layout = timelineSvg(timeline);
    expect(structure(layout.svg)).toMatchInlineSnapshot(`
      {
        "breaks": 2,
        "marks": [
          "1910/1945 happened ×1 range",
          "1965 happened ×1 dot happened",
          "2023-08 happened ×2 dot happened",
          "2026-01-04 planned ×1 dot planned",
        ],
        "ticks": [
          "1910",
          "1930",
          "1965",
          "2023",
          "2024",
          "2026",
        ],
        "undated": 1,
      }
    `);
    expect(layout.ticks).toEqual(['1910', '1930', '1965', '2023', '2024', '2026']);
    // Text is escaped and labels keep their citation marks.
    expect(layout.svg).toContain('&amp; more &lt;for decades&gt;');
    expect(layout.svg).toContain('[2]');
    expect(layout.svg).toContain('Timeline · Japan · Camp David');
  });

  it('says what was looked for when there is nothing to draw', () => {
    const empty: Timeline = { entities: [{ name: 'phrase:pokemon', label: 'pokemon', aliases: [], source: 'phrase' }], events: [], undated: [], message: 'No dated events mention \'pokemon\' in the 5 indexed documents.' };
    const { svg } = timelineSvg(empty);
    expect(svg).toContain('No dated events mention &apos;pokemon&apos;');
    expect(structure(svg).marks).toEqual([]);
  });

  it('renders a PNG with the bundled font: signature, size, dimensions', () => {
    const image = renderTimelineImage(timeline);
    expect(image.png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    // IHDR: width and height right after the chunk header.
    expect(image.png.readUInt32BE(16)).toBe(image.width);
    expect(image.png.readUInt32BE(20)).toBe(image.height);
    expect(image.width).toBe(1000);
    expect(image.height).toBeGreaterThan(300);
    expect(image.height).toBeLessThan(1200);
    expect(image.png.length).toBeGreaterThan(10_000);
    expect(image.png.length).toBeLessThan(1_000_000);
  });
});
