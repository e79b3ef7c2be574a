// Word document (mammoth's HTML) → paragraphs: headings, paragraphs and list items one per unit; a table becomes
// one line per row, each cell labelled with its column header ("Year: 2019; Event: …"), so a row reads as a sentence
// and keeps its meaning when a chunk boundary separates it from the header row.
import { parseHTML } from 'linkedom';

interface Node {
  nodeType: number;
  textContent: string | null;
  childNodes: ArrayLike<Node>;
}
interface Element extends Node {
  tagName: string;
  children: ArrayLike<Element>;
}

export interface DocxLayout {
  units: string[];
  /** The first heading, the title when the core properties name none. */
  heading: string | null;
}

function collapse(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

function tag(node: Node): string {
  return node.nodeType === 1 ? (node as Element).tagName.toUpperCase() : '';
}

function rowsOf(table: Element): string[][] {
  const rows: string[][] = [];
  const visit = (el: Element): void => {
    for (const child of Array.from(el.children)) {
      const t = tag(child);
      if (t === 'TR') rows.push(Array.from(child.children).filter((c) => ['TD', 'TH'].includes(tag(c))).map((c) => collapse(c.textContent)));
      else if (t !== 'TABLE') visit(child);
    }
  };
  visit(table);
  return rows.filter((row) => row.some((cell) => cell.length > 0));
}

export function tableLines(rows: readonly string[][]): string[] {
  const [header, ...body] = rows;
  if (!header) return [];
  const labelled = header.length >= 2 && body.length > 0 && header.every((cell) => cell.length > 0 && cell.length <= 60);
  if (!labelled) return rows.map((row) => row.filter(Boolean).join('; ')).filter(Boolean);
  return body
    .map((row) =>
      row
        .map((cell, i) => (cell ? `${header[i] ?? ''}${header[i] ? ': ' : ''}${cell}` : ''))
        .filter(Boolean)
        .join('; '),
    )
    .map((line) => (/[.!?]$/.test(line) ? line : `${line}.`));
}

export function layoutDocx(html: string): DocxLayout {
  const dom = parseHTML(`<!DOCTYPE html><html><head></head><body>${html}</body></html>`).document as unknown as { body: Element };
  const units: string[] = [];
  let heading: string | null = null;
  const nested = (n: Node): boolean => ['UL', 'OL'].includes(tag(n));
  const handle = (child: Element): void => {
    const t = tag(child);
    if (/^H[1-6]$/.test(t)) {
      const text = collapse(child.textContent);
      if (text) {
        units.push(text);
        heading ??= text;
      }
    } else if (t === 'TABLE') {
      units.push(...tableLines(rowsOf(child)));
    } else if (t === 'LI') {
      // The item's own text, then its nested lists as items of their own.
      const own = collapse(Array.from(child.childNodes).filter((n) => !nested(n)).map((n) => n.textContent ?? '').join(' '));
      if (own) units.push(own);
      for (const list of Array.from(child.children).filter(nested)) handle(list);
    } else if (t === 'P' || t === 'BLOCKQUOTE' || t === 'PRE') {
      const text = collapse(child.textContent);
      if (text) units.push(text);
    } else {
      visit(child);
    }
  };
  const visit = (el: Element): void => {
    for (const child of Array.from(el.children)) handle(child);
  };
  visit(dom.body);
  return { units, heading };
}
