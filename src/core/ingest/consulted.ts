// The boilerplate set as one parse sees it, noting every key the parse looks up: a later scan re-parses a document
// only when one of the lines it consulted entered or left the set (load.ts).
/** Boilerplate keys are normalised short lines (≤ 100 characters, see `isShortLine`; lower-casing can lengthen a few): longer keys can never be in the set. */
const MAX_KEY_LENGTH = 300;

export class ConsultedLines implements ReadonlySet<string> {
  readonly consulted = new Set<string>();

  constructor(private readonly lines: ReadonlySet<string>) {}

  has(key: string): boolean {
    if (key.length <= MAX_KEY_LENGTH) this.consulted.add(key);
    return this.lines.has(key);
  }

  get size(): number {
    return this.lines.size;
  }

  forEach(callback: (value: string, key: string, set: ReadonlySet<string>) => void): void {
    this.lines.forEach((line) => callback(line, line, this));
  }

  entries(): SetIterator<[string, string]> {
    return this.lines.entries();
  }

  keys(): SetIterator<string> {
    return this.lines.keys();
  }

  values(): SetIterator<string> {
    return this.lines.values();
  }

  [Symbol.iterator](): SetIterator<string> {
    return this.lines.values();
  }
}
