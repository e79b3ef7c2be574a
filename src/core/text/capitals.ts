// A capital stands for its country's government in the news ("Seoul moved to settle…" is what "the South Korean
// government" did): the country's name says the capital's, in the words of countries-list (MIT).
import { countries } from 'countries-list';
import { contentTerms } from './tokens.js';

let byCapital: Map<string, ReadonlyArray<readonly string[]>> | null = null;

/**
 * The names of the country a one-word capital ("seoul", "washington") governs, each as the stems that must all be
 * said ([["south", "korea"], ["republ", "korea"]]); null for any other term.
 */
export function countryNamesOfCapital(term: string): ReadonlyArray<readonly string[]> | null {
  byCapital ??= capitals();
  return byCapital.get(term) ?? null;
}

function capitals(): Map<string, ReadonlyArray<readonly string[]>> {
  const out = new Map<string, Array<readonly string[]>>();
  for (const country of Object.values(countries)) {
    // "Washington D.C." is Washington.
    const capital = contentTerms(country.capital.replace(/\s+D\.?\s?C\.?$/i, ''));
    if (capital.length !== 1 || !capital[0]) continue;
    const names = [country.name, ...(country.alias ?? [])].map((name) => contentTerms(name)).filter((terms) => terms.length > 0);
    if (names.length > 0) out.set(capital[0], [...(out.get(capital[0]) ?? []), ...names]);
  }
  return out;
}
