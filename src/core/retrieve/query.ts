// Cheap, general query understanding: content terms, what kind of answer is wanted, and any dates mentioned.
import { contentTerms, words } from '../text/tokens.js';

export type AnswerType = 'when' | 'where' | 'who' | 'how-many' | 'why' | 'what';

export interface QueryAnalysis {
  text: string;
  terms: string[];
  answerType: AnswerType;
  years: string[];
  /** Proper names in the question ("Cape Canaveral", "Kim Jong Un"), as folded words. */
  names: string[][];
}

// Capitalised only because they open the question or are question scaffolding.
const QUESTION_WORDS = new Set(['what', 'which', 'who', 'whom', 'whose', 'where', 'when', 'why', 'how', 'did', 'does', 'do', 'is', 'are', 'was', 'were', 'will', 'can', 'could', 'would', 'should', 'has', 'have', 'had', 'in', 'on', 'at', 'during', 'according', 'the', 'a', 'an', 'i']);
// In "how many/much/long…" the second word only says that a quantity is wanted.
const QUANTITY_WORDS = new Set(['many', 'much', 'long', 'far', 'old', 'often']);

export function analyzeQuery(question: string): QueryAnalysis {
  const folded = words(question);
  const first = folded.find((w) => ['when', 'where', 'who', 'whom', 'whose', 'which', 'why', 'how', 'what'].includes(w));
  let answerType: AnswerType = 'what';
  if (first === 'when' || /\b(what|which) (year|month|day|date)\b/i.test(question)) answerType = 'when';
  else if (first === 'where' || /\b(what|which) (city|country|place|venue|location)\b/i.test(question)) answerType = 'where';
  else if (first === 'who' || first === 'whom' || first === 'whose' || /\bwhich (person|leader|official|company|firm|country|nation)\b/i.test(question)) answerType = 'who';
  else if (/\bhow (many|much|long|far|old)\b/i.test(question)) answerType = 'how-many';
  else if (first === 'why' || /\bwhat (caused|led to|prompted)\b/i.test(question)) answerType = 'why';
  // A bare "which <noun>" (which direction, which system) names no slot type we can recognise.
  const years = [...question.matchAll(/\b(1[89]\d{2}|20\d{2})\b/g)].map((m) => m[1] ?? '');
  let scaffold = question;
  if (answerType === 'how-many') scaffold = scaffold.replace(/\bhow\s+(many|much|long|far|old|often)\b/i, 'how');
  const terms = [...new Set(contentTerms(scaffold))].filter((t) => !(answerType === 'how-many' && QUANTITY_WORDS.has(t)));
  return { text: question, terms, answerType, years, names: properNames(question) };
}

function properNames(question: string): string[][] {
  const names: string[][] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length > 0) names.push(current);
    current = [];
  };
  for (const match of question.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu)) {
    const raw = (match[0] ?? '').replace(/['’]s$/, '');
    const folded = words(raw);
    if (/^\p{Lu}/u.test(raw) && !QUESTION_WORDS.has(raw.toLowerCase())) current.push(...folded);
    else flush();
  }
  flush();
  return names;
}
