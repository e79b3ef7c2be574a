// The synthetic corpus of `npm run bench`: seeded news-like documents, each with a question it answers. Document
// `i` is a pure function of (seed, i), so every machine and run measures the same corpus.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defaultWordVectorsDir } from '../../src/app/embedders.js';
import { chunkDocument } from '../../src/core/chunk/chunker.js';
import { STOP_WORDS } from '../../src/core/text/tokens.js';

/** Small, fast, seeded PRNG (mulberry32): the same seed gives the same corpus on every run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  /** Index in [0, n) with p(r) ∝ 1/(r+1): word frequencies in text follow Zipf's law. */
  zipf(n: number): number {
    return Math.min(n - 1, Math.floor(Math.exp(this.next() * Math.log(n + 1))) - 1);
  }
}

const FIRST = ['Akira', 'Min-jun', 'Sofia', 'Daniel', 'Yuki', 'Ji-woo', 'Maria', 'Ahmed', 'Elena', 'Kenji', 'Hana', 'Lucas', 'Priya', 'Omar', 'Chloe', 'Hiroshi', 'Seo-yeon', 'Mateo', 'Aisha', 'Noah', 'Ingrid', 'Tomas', 'Leila', 'Ravi', 'Grace', 'Felix', 'Amara', 'Jonas', 'Mei', 'Carlos', 'Nadia', 'Victor', 'Keiko', 'Samuel', 'Lina', 'Hugo', 'Yara', 'Ethan', 'Sakura', 'Pavel'];
const LAST = ['Tanaka', 'Kim', 'Rossi', 'Novak', 'Sato', 'Park', 'Garcia', 'Haddad', 'Petrova', 'Yamamoto', 'Lee', 'Fischer', 'Sharma', 'Farouk', 'Martin', 'Suzuki', 'Choi', 'Lopez', 'Okafor', 'Schmidt', 'Larsen', 'Dvorak', 'Rahimi', 'Iyer', 'Walsh', 'Brandt', 'Mensah', 'Berg', 'Wong', 'Silva', 'Kovac', 'Moreau', 'Ito', 'Adeyemi', 'Nakamura', 'Jung', 'Costa', 'Weber', 'Kato', 'Hansen', 'Dubois', 'Mendes', 'Takahashi', 'Yoon', 'Russo', 'Khan', 'Olsen', 'Varga', 'Abe', 'Cruz'];
const PLACES = ['Tokyo', 'Seoul', 'Osaka', 'Busan', 'Beijing', 'Washington', 'Brussels', 'Geneva', 'Jakarta', 'Manila', 'Hanoi', 'Bangkok', 'Singapore', 'Sydney', 'Canberra', 'Ottawa', 'Berlin', 'Paris', 'Madrid', 'Rome', 'Warsaw', 'Nairobi', 'Lagos', 'Cairo', 'Dubai', 'Delhi', 'Mumbai', 'Karachi', 'Tehran', 'Ankara', 'Athens', 'Lisbon', 'Dublin', 'Oslo', 'Helsinki', 'Vienna', 'Prague', 'Budapest', 'Lima', 'Santiago', 'Bogota', 'Quito', 'Havana', 'Montreal', 'Vancouver', 'Auckland', 'Taipei', 'Sapporo', 'Incheon', 'Fukuoka'];
const ORGS = ['Finance Ministry', 'Trade Ministry', 'central bank', 'Energy Agency', 'Health Ministry', 'port authority', 'transport board', 'defence ministry', 'national railway', 'statistics office', 'environment agency', 'fisheries council', 'space agency', 'coast guard', 'audit board', 'labour union', 'chamber of commerce', 'water authority', 'housing board', 'science council'];
const TITLES = ['Minister', 'Governor', 'Mayor', 'spokesperson', 'chief executive', 'director', 'senator', 'ambassador', 'chairwoman', 'chairman', 'commissioner', 'deputy minister'];
const VERBS = ['allocate', 'invest', 'spend', 'commit', 'set aside', 'borrow', 'raise', 'redirect'];
const UNITS = ['tonnes', 'megawatts', 'barrels', 'passengers', 'homes', 'vehicles', 'containers', 'jobs'];
const ADJECTIVES = ['cautious', 'optimistic', 'concerned', 'confident', 'divided', 'hopeful', 'sceptical', 'firm'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Topic words: common English nouns and verbs from the embedder's own vocabulary, most frequent first. */
function topicVocabulary(): string[] {
  const lines = readFileSync(join(defaultWordVectorsDir(), 'vocab.txt'), 'utf8').split('\n');
  const out: string[] = [];
  for (let rank = 400; rank < lines.length && out.length < 20_000; rank++) {
    const word = lines[rank] ?? '';
    if (/^[a-z]{4,12}$/.test(word) && !STOP_WORDS.has(word)) out.push(word);
  }
  return out;
}

interface SyntheticDocument {
  source: string;
  text: string;
  question: string;
}

export class CorpusGenerator {
  private readonly vocabulary = topicVocabulary();

  /** Document `index` is a pure function of (seed, index): the same corpus on every machine and run. */
  document(index: number, seed = 1): SyntheticDocument {
    const rng = new Rng(seed * 1_000_003 + index);
    const topic = Array.from({ length: 6 }, () => this.word(rng));
    const people = Array.from({ length: 3 }, () => `${rng.pick(FIRST)} ${rng.pick(LAST)}`);
    const places = [rng.pick(PLACES), rng.pick(PLACES)];
    const org = rng.pick(ORGS);
    const year = rng.between(2015, 2025);
    const month = rng.int(12);
    const day = rng.between(1, 28);
    const noun = () => (rng.float() < 0.7 ? rng.pick(topic) : this.word(rng));
    const ctx = { rng, people, places, org, year, noun };
    const target = rng.between(3000, 6000);
    const headline = `${places[0]} ${topic[0]} ${topic[1]} plan: ${rng.between(2, 900)} ${rng.pick(UNITS)} at stake`;
    const head = `${headline}\n\nBy ${rng.pick(people)}\n${places[0]} (Wire) ${MONTHS[month]?.slice(0, 3)} ${day}, ${year}\n\n`;
    let body = '';
    let question = '';
    while (head.length + body.length < target) {
      const sentences: string[] = [];
      const count = rng.between(2, 4);
      for (let i = 0; i < count; i++) {
        const made = sentence(ctx);
        sentences.push(made.text);
        if (!question && made.question) question = made.question;
      }
      body += `${sentences.join(' ')}\n\n`;
    }
    if (!question) question = `What did ${people[0]} say about the ${topic[0]} ${topic[1]} plan?`;
    const source = `d${String(Math.floor(index / 1000)).padStart(3, '0')}/doc-${seed}-${String(index).padStart(6, '0')}.txt`;
    return { source, text: head + body.trimEnd() + '\n', question };
  }

  private word(rng: Rng): string {
    return this.vocabulary[rng.zipf(this.vocabulary.length)] ?? 'report';
  }
}

interface SentenceContext {
  rng: Rng;
  people: string[];
  places: string[];
  org: string;
  year: number;
  noun: () => string;
}

function sentence(c: SentenceContext): { text: string; question?: string } {
  const { rng } = c;
  const person = rng.pick(c.people);
  const place = rng.pick(c.places);
  const month = rng.pick(MONTHS);
  const year = c.year + rng.between(-3, 2);
  const date = `${month} ${rng.between(1, 28)}, ${year}`;
  const money = `${rng.between(2, 950)} million dollars`;
  const count = rng.between(3, 98_000).toLocaleString('en-US');
  const [n1, n2, n3] = [c.noun(), c.noun(), c.noun()];
  switch (rng.int(10)) {
    case 0: {
      const verb = rng.pick(VERBS);
      return {
        text: `On ${date}, ${rng.pick(TITLES)} ${person} said the ${c.org} would ${verb} ${money} for ${n1} and ${n2} programmes in ${place}.`,
        question: `How much did the ${c.org} plan to ${verb} for ${n1} and ${n2} programmes in ${place}?`,
      };
    }
    case 1:
      return { text: `${person}, who leads the ${c.org}'s ${n1} office, told reporters in ${place} that ${n2} ${n3} had risen ${rng.between(2, 40)} percent since ${month} ${year}.` };
    case 2:
      return { text: `The ${c.org} reported ${count} ${n1} cases across ${place} by ${date}, up from ${rng.between(3, 90_000).toLocaleString('en-US')} a year earlier.` };
    case 3:
      return {
        text: `Officials in ${place} expect the ${n1} ${n2} project to be completed by ${month} ${year}, according to ${person}.`,
        question: `When is the ${n1} ${n2} project in ${place} expected to be completed?`,
      };
    case 4:
      return { text: `"We are ${rng.pick(ADJECTIVES)} about the ${n1} and the ${n2}," ${person} said at a ${n3} forum in ${place} on ${rng.pick(WEEKDAYS)}.` };
    case 5:
      return { text: `Talks between ${place} and ${rng.pick(PLACES)} on ${n1} ${n2} resumed on ${date} after a ${rng.between(2, 120)}-day pause.` };
    case 6:
      return { text: `Analysts estimate that ${n1} demand could reach ${count} ${rng.pick(UNITS)} by ${year + 3}, though ${n2} ${n3} remain uncertain.` };
    case 7:
      return { text: `The ${n1} ${n2} scheme was first proposed in ${year - rng.between(1, 20)} by ${person}, then ${rng.pick(TITLES)} of ${place}.` };
    case 8:
      return {
        text: `${person} is due to visit ${place} in ${month} to discuss ${n1} and ${n2} with ${rng.pick(TITLES)} ${rng.pick(FIRST)} ${rng.pick(LAST)}.`,
        question: `Who will ${person} meet in ${place} to discuss ${n1} and ${n2}?`,
      };
    default:
      return { text: `Critics, including ${person}, argued that the ${n1} plan ignored ${n2} costs estimated at ${money}.` };
  }
}

export interface GeneratedCorpus {
  dir: string;
  documents: number;
  bytes: number;
  questions: Array<{ question: string; source: string }>;
}

/** Writes documents until the chunker's estimate reaches `targetChunks`. */
export function writeCorpus(generator: CorpusGenerator, dir: string, targetChunks: number, queries: number): GeneratedCorpus {
  let chunks = 0;
  let bytes = 0;
  let index = 0;
  const all: Array<{ question: string; source: string }> = [];
  while (chunks < targetChunks) {
    const doc = generator.document(index++);
    const path = join(dir, doc.source);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, doc.text);
    // Chunking the raw text is a close estimate of what the loader's cleaned text will give.
    chunks += chunkDocument(doc.source, doc.text).length;
    bytes += Buffer.byteLength(doc.text);
    all.push({ question: doc.question, source: doc.source });
  }
  // Questions about documents spread over the whole corpus, in a fixed order.
  const rng = new Rng(7);
  const questions = Array.from({ length: queries }, () => all[rng.int(all.length)] as { question: string; source: string });
  return { dir, documents: index, bytes, questions };
}

