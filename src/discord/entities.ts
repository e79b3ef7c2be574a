// Turning the free-text `entities` option into entity names, and suggesting completions for it.
const MAX_WORDS_PER_NAME = 4;

/**
 * `japan korea` → ['japan', 'korea']; `japan, south korea` → ['japan', 'south korea']. Without commas, known
 * multi-word names are matched greedily (`south korea japan` → ['South Korea', 'japan']).
 */
export function parseEntities(input: string, known: readonly string[]): string[] {
  const byLower = new Map(known.map((name) => [name.toLowerCase(), name]));
  const result: string[] = [];
  if (input.includes(',')) {
    result.push(...input.split(',').map((part) => part.trim().replace(/\s+/g, ' ')));
  } else {
    const words = input.trim().split(/\s+/).filter(Boolean);
    for (let i = 0; i < words.length; ) {
      let matched = 1;
      let name = words[i]!;
      for (let length = Math.min(MAX_WORDS_PER_NAME, words.length - i); length > 1; length -= 1) {
        const candidate = byLower.get(words.slice(i, i + length).join(' ').toLowerCase());
        if (candidate) {
          matched = length;
          name = candidate;
          break;
        }
      }
      result.push(name);
      i += matched;
    }
  }
  const seen = new Set<string>();
  return result.filter((name) => {
    const key = name.toLowerCase();
    if (name === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Completions for what is being typed: earlier names kept as typed, the last (partial) name completed. */
export function suggestEntities(input: string, known: readonly string[], limit: number, maxLength = 100): string[] {
  let settled = input.trim();
  let matches: string[] = [...known];
  if (!/[\s,]$/.test(input) && settled !== '') {
    const starts = [...input.matchAll(/[^\s,]+/g)].map((match) => match.index);
    matches = [];
    // Longest suffix first, so `south ko` completes to `South Korea` rather than `south South Korea`.
    for (let k = Math.min(MAX_WORDS_PER_NAME, starts.length); k >= 1 && matches.length === 0; k -= 1) {
      const start = starts[starts.length - k]!;
      const partial = input.slice(start).toLowerCase();
      matches = known.filter((name) => name.toLowerCase().startsWith(partial));
      // For a single word, names containing it follow those starting with it (`kor` → korea, north-korea).
      if (k === 1) matches = [...matches, ...known.filter((name) => !matches.includes(name) && name.toLowerCase().includes(partial))];
      settled = input.slice(0, start).trimEnd();
    }
  }
  const chosen = new Set(parseEntities(settled.replace(/,$/, ''), known).map((name) => name.toLowerCase()));
  const out: string[] = [];
  for (const name of matches) {
    if (chosen.has(name.toLowerCase())) continue;
    const value = settled === '' ? name : `${settled} ${name}`;
    if (value.length > maxLength || out.includes(value)) continue;
    out.push(value);
    if (out.length >= limit) break;
  }
  return out;
}
