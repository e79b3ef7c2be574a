// Markdown with YAML front matter → metadata and plain-text paragraphs. Deliberately small: news bodies use
// headings, links, emphasis, lists and quotes; anything fancier is kept as text.
import matter from 'gray-matter';

export interface MarkdownDocument {
  data: Record<string, unknown>;
  /** Raw front-matter text, to read values that YAML would otherwise convert (dates with time zones). */
  rawMatter: string;
  paragraphs: string[];
  /** First heading of the body, the natural title when the front matter has none. */
  heading: string | null;
}

const FENCE = /^\s{0,3}(```|~~~)/;
const ATX = /^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const SETEXT = /^\s{0,3}(=+|-+)\s*$/;
const RULE = /^\s{0,3}([-*_])(?:\s*\1){2,}\s*$/;
const REFERENCE_DEFINITION = /^\s{0,3}\[[^\]]+\]:\s*\S+/;
const BULLET = /^\s*[-*+]\s+/;
const ORDERED = /^\s*\d{1,3}[.)]\s+/;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', '#39': "'" };

/** Inline Markdown → text: links keep their text, images go, emphasis and code markers go. */
export function markdownInline(text: string): string {
  // Escaped punctuation is parked in the private-use area so the emphasis rules below cannot see it.
  return text
    .replace(/\\([\\`*_{}[\]()#+\-.!>|~])/g, (_m, ch: string) => String.fromCharCode(0xe000 + ch.charCodeAt(0)))
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/!\[[^\]]*\]\((?:[^()]|\([^)]*\))*\)/g, '')
    .replace(/!\[[^\]]*\]\[[^\]]*\]/g, '')
    .replace(/\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<((?:https?|mailto):[^>\s]+)>/g, '$1')
    .replace(/<\/?[A-Za-z][^>]*>/g, '')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1')
    .replace(/\*(?=\S)([\s\S]*?\S)\*/g, '$1')
    // Underscores inside words (snake_case) are not emphasis.
    .replace(/(^|[^\p{L}\p{N}_])_(?=\S)([\s\S]*?\S)_(?![\p{L}\p{N}_])/gu, '$1$2')
    .replace(/[\ue000-\ue07f]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xe000))
    .replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_m, name: string) => ENTITIES[name] ?? '');
}

export function markdownToParagraphs(body: string): { paragraphs: string[]; heading: string | null } {
  const paragraphs: string[] = [];
  let heading: string | null = null;
  let current: string[] = [];
  let inFence = false;
  const flush = (): void => {
    const text = markdownInline(current.join('\n')).trim();
    if (text.length > 0) paragraphs.push(text);
    current = [];
  };
  const pushHeading = (raw: string): void => {
    const text = markdownInline(raw).trim();
    if (text.length === 0) return;
    heading ??= text;
    paragraphs.push(text);
  };
  for (const rawLine of body.split(/\r\n|\r|\n/)) {
    if (FENCE.test(rawLine)) {
      if (inFence) {
        // Code is kept as written, without inline conversion.
        const code = current.join('\n').trim();
        if (code.length > 0) paragraphs.push(code);
        current = [];
      } else {
        flush();
      }
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      current.push(rawLine);
      continue;
    }
    let line = rawLine;
    while (/^\s{0,3}>/.test(line)) line = line.replace(/^\s{0,3}>\s?/, '');
    if (line.trim().length === 0) {
      flush();
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      flush();
      pushHeading(atx[2] ?? '');
      continue;
    }
    if (SETEXT.test(line) && current.length === 1) {
      const text = current[0]!;
      current = [];
      pushHeading(text);
      continue;
    }
    if (RULE.test(line) || SETEXT.test(line) || REFERENCE_DEFINITION.test(line)) {
      flush();
      continue;
    }
    if (BULLET.test(line)) {
      flush();
      current.push(line.replace(BULLET, ''));
      continue;
    }
    if (ORDERED.test(line)) {
      flush();
      current.push(line.trim());
      continue;
    }
    current.push(line.trim());
  }
  flush();
  return { paragraphs, heading };
}

const DELIMITER = /^---\s*$/;

/** Front matter the YAML parser rejects: read plain `key: value` lines so a typo does not lose the document. */
function lenientFrontMatter(text: string): { data: Record<string, unknown>; rawMatter: string; body: string } | null {
  const lines = text.split(/\r\n|\r|\n/);
  if (!DELIMITER.test(lines[0] ?? '')) return null;
  let end = lines.findIndex((l, i) => i > 0 && (DELIMITER.test(l) || /^\.\.\.\s*$/.test(l)));
  let bodyStart = end + 1;
  if (end < 0) {
    // No closing delimiter: the header is the leading run of `key: value` lines.
    end = 1;
    while (end < lines.length && /^[A-Za-z_][\w-]*\s*:/.test(lines[end] ?? '')) end++;
    bodyStart = end;
  }
  const rawLines = lines.slice(1, end);
  const data: Record<string, unknown> = {};
  for (const line of rawLines) {
    const m = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const value = (m[2] ?? '').trim().replace(/^(["'])(.*)\1$/, '$2');
    if (value.length > 0) data[m[1]!.toLowerCase()] = value;
  }
  return { data, rawMatter: rawLines.join('\n'), body: lines.slice(bodyStart).join('\n') };
}

export function parseMarkdown(text: string): MarkdownDocument {
  let data: Record<string, unknown> = {};
  let rawMatter = '';
  let body = text;
  try {
    // Passing options disables gray-matter's global cache, which would otherwise keep every file in memory.
    const parsed = matter(text, {});
    data = parsed.data && typeof parsed.data === 'object' ? (parsed.data as Record<string, unknown>) : {};
    rawMatter = parsed.matter ?? '';
    body = parsed.content;
  } catch {
    const lenient = lenientFrontMatter(text);
    if (lenient) ({ data, rawMatter, body } = lenient);
  }
  const normalized: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) normalized[k.toLowerCase()] = v;
  const { paragraphs, heading } = markdownToParagraphs(body);
  return { data: normalized, rawMatter, paragraphs, heading };
}
