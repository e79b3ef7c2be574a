// The timeline as a PNG, shared by Discord (/timeline attaches it) and `npm run timeline -- … --png FILE`.
// resvg renders in-process from the core's SVG; the font files come from an npm package and are loaded
// explicitly (no system fonts), so the picture is the same on every machine.
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import type { Timeline } from '../core/types.js';
import { timelineSvg, type TimelineLayout, type TimelineSvgOptions } from '../core/timeline/svg.js';

const require = createRequire(import.meta.url);
const FONT_FAMILY = 'DejaVu Sans';
let fontFiles: string[] | undefined;

function fonts(): string[] {
  fontFiles ??= ['dejavu-fonts-ttf/ttf/DejaVuSans.ttf', 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'].map((file) => require.resolve(file));
  return fontFiles;
}

export interface TimelineImage extends TimelineLayout {
  png: Buffer;
}

export function renderTimelineImage(timeline: Timeline, options: Omit<TimelineSvgOptions, 'fontFamily'> = {}): TimelineImage {
  const layout = timelineSvg(timeline, { ...options, fontFamily: FONT_FAMILY });
  const resvg = new Resvg(layout.svg, {
    font: { fontFiles: fonts(), loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
    background: 'rgba(0,0,0,0)',
  });
  const png = resvg.render().asPng();
  return { ...layout, png };
}
