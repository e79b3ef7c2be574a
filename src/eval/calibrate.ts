// Honest calibration of the extractive answerer: every grid point is run once over the union of the sets; k-fold
// cross-validation then picks, for each fold, the point that does best on the other folds and reports how it does
// on the held-out one. The committed parameters are the best point on all items ("training fit").
import type { CleanDocument, Passage } from '../core/types.js';
import { answerExtractively, type EvidenceModel } from '../core/answer/extractive.js';
import { DEFAULT_EXTRACTIVE_PARAMETERS, type ExtractiveParameters } from '../core/answer/parameters.js';
import { scoreItem, type QaItem, type QaItemResult } from './qa.js';

export interface PreparedItem {
  /** The corpus the item asks about (calibration is also held out by corpus). */
  corpus: string;
  set: string;
  item: QaItem;
  passages: Passage[];
  documents: ReadonlyMap<string, CleanDocument>;
  evidence: EvidenceModel;
  /** The corpus' files as a reader sees them, for citation validity. */
  read: (source: string) => string | null;
}

export interface GridPoint {
  parameters: ExtractiveParameters;
  /** Per prepared item: 1 when correct (answered right, or refused when it should be). */
  correct: Uint8Array;
  /** Per prepared item: 1 when answered wrongly — a wrong answer to an answerable question, or any answer to an unanswerable one. */
  wrong: Uint8Array;
  /** Per prepared item: 1 when a correct answer's cited sentence states the asked event (see statesAskedEvent). */
  statesEvent: Uint8Array;
}

/** The search space. Small on purpose: ~a few hundred points, each run over every item. */
export function parameterGrid(base: ExtractiveParameters = DEFAULT_EXTRACTIVE_PARAMETERS): ExtractiveParameters[] {
  const out: ExtractiveParameters[] = [];
  // documentCredit (0 / 0.4) and the type weight (0.15 / 0.3) left the grid in round 2: every fold chose 0.4 and 0.15.
  // Round 3 (two corpora): minPredicate and the predicate weight left the grid — every fold of round 2 chose 0 and
  // 0.2 — for the two caps on unsaid question words;
  // vectorFloor left it too (every fold chose 0.65).
  for (const minEvidence of [0.45, 0.5, 0.55])
    for (const nearRatio of [0.5, 0.6, 0.75])
      // 0.3 left for 0.65 in round 5: no fold chose 0.3, and the blind sets' wrong typed answers sit above 0.65.
      for (const maxUnexplainedTyped of [0.4, 0.5, 0.65, 1])
        for (const maxUnexplained of [0.3, 0.4, 0.5, 0.6, 1]) {
          out.push({ ...base, minEvidence, nearRatio, maxUnexplainedTyped, maxUnexplained });
        }
  return out;
}

/**
 * The parameters before this round, with its new caps off: where the points tie, the one closest to them wins. Not
 * the committed parameters — those are chosen on every item, held-out folds included, and would leak them back.
 */
const PREVIOUS_ROUND: ExtractiveParameters = { ...DEFAULT_EXTRACTIVE_PARAMETERS, minEvidence: 0.5, nearRatio: 0.6, vectorFloor: 0.65, maxUnexplainedTyped: 1, maxUnexplained: 1 };

export function runPoint(prepared: readonly PreparedItem[], parameters: ExtractiveParameters): QaItemResult[] {
  return prepared.map((p) => {
    const answer = answerExtractively(p.item.question, p.passages, p.documents, p.evidence, { parameters });
    return scoreItem(p.item, answer, p.passages.map((x) => x.chunk.source), 0, p.read);
  });
}

/** Deterministic fold of an item: a hash of its id, so adding items does not reshuffle the others. */
export function foldOf(id: string, folds: number): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return (h >>> 0) % folds;
}

export interface CrossValidation {
  folds: number;
  points: number;
  /** Per item, whether the parameters chosen without its fold got it right. */
  heldOut: boolean[];
  /** Per item, whether the parameters chosen on all items got it right. */
  fit: boolean[];
  fitParameters: ExtractiveParameters;
  /** Parameters chosen for each fold (to see how stable the choice is). */
  chosen: ExtractiveParameters[];
  /**
   * With items from more than one corpus: per item, whether the parameters chosen on the *other* corpora alone got
   * it right (fit on the seeds, measured on the web pages, and the reverse), and what each corpus' fit chose.
   */
  heldOutCorpus: boolean[] | null;
  chosenByCorpus: Record<string, ExtractiveParameters> | null;
}

/**
 * What a wrong answer costs, in correct items. Precision first: a cited wrong answer looks checked and misleads,
 * a refusal with the closest passages does not; so a threshold that turns two wrong answers into refusals is worth one
 * right answer lost. (Before this, a wrong answer and a refusal of an answerable question both counted 0.)
 */
export const WRONG_ANSWER_COST = 0.5;

/**
 * The point with the best utility among `include`: correct items minus WRONG_ANSWER_COST per wrong answer. Ties are broken by the neighbourhood: the mean score of
 * the points that differ from it in one parameter, so the choice sits on a plateau rather than a lucky spike.
 */
function bestPoint(points: readonly GridPoint[], include: (i: number) => boolean, wrongAnswerCost: number): GridPoint {
  const scores = points.map((point) => {
    let score = 0;
    for (let i = 0; i < point.correct.length; i++) if (include(i)) score += (point.correct[i] ?? 0) - wrongAnswerCost * (point.wrong[i] ?? 0);
    return score;
  });
  const top = Math.max(...scores);
  // Among points equally right, the one whose answers cite sentences stating the asked event ("met in Tokyo", not
  // "fly from Tokyo": both hold the expected "Tokyo", only one proves it); then the neighbourhood.
  const proofs = points.map((point) => {
    let proof = 0;
    for (let i = 0; i < point.statesEvent.length; i++) if (include(i)) proof += point.statesEvent[i] ?? 0;
    return proof;
  });
  const topProof = Math.max(...proofs.filter((_, index) => scores[index] === top));
  // Then the point closest to the previous round's: a fold that cannot tell two values apart keeps the one in use
  // (added when the web pages alone could not tell nearRatio 0.6 from 0.75, and chose the one that cost the seeds).
  const moved = points.map((point) => changedFrom(point.parameters, PREVIOUS_ROUND));
  const leastMoved = Math.min(...moved.filter((_, index) => scores[index] === top && proofs[index] === topProof));
  let best: GridPoint | undefined;
  let bestNeighbourhood = -Infinity;
  points.forEach((point, index) => {
    if (scores[index] !== top || proofs[index] !== topProof || moved[index] !== leastMoved) return;
    let sum = 0;
    let count = 0;
    points.forEach((other, j) => {
      if (j !== index && differsInOne(point.parameters, other.parameters)) {
        sum += scores[j] ?? 0;
        count += 1;
      }
    });
    const neighbourhood = count === 0 ? 0 : sum / count;
    if (neighbourhood > bestNeighbourhood) {
      bestNeighbourhood = neighbourhood;
      best = point;
    }
  });
  if (!best) throw new Error('empty parameter grid');
  return best;
}

function flat(p: ExtractiveParameters): number[] {
  return [p.minEvidence, p.nearRatio, p.vectorFloor, p.minPredicate, p.documentCredit, p.nearWindow, p.maxUnexplainedTyped, p.maxUnexplained, ...Object.values(p.weights)];
}

function changedFrom(a: ExtractiveParameters, b: ExtractiveParameters): number {
  const x = flat(a);
  const y = flat(b);
  let differences = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) differences += 1;
  return differences;
}

function differsInOne(a: ExtractiveParameters, b: ExtractiveParameters): boolean {
  return changedFrom(a, b) === 1;
}

/** Runs every grid point once over the prepared items (the expensive part of a cross-validation). */
export function evaluateGrid(prepared: readonly PreparedItem[], grid: readonly ExtractiveParameters[] = parameterGrid()): GridPoint[] {
  return grid.map((parameters) => {
    const results = runPoint(prepared, parameters);
    return {
      parameters,
      correct: Uint8Array.from(results.map((r) => (r.correct ? 1 : 0))),
      wrong: Uint8Array.from(results.map((r) => (!r.correct && !r.refused ? 1 : 0))),
      statesEvent: Uint8Array.from(results.map((r) => (r.statesEvent ? 1 : 0))),
    };
  });
}

export function crossValidate(
  prepared: readonly PreparedItem[],
  options: { folds?: number; grid?: ExtractiveParameters[]; points?: readonly GridPoint[]; wrongAnswerCost?: number } = {},
): CrossValidation {
  const folds = options.folds ?? 5;
  const cost = options.wrongAnswerCost ?? WRONG_ANSWER_COST;
  const points = options.points ?? evaluateGrid(prepared, options.grid);
  const kFold = holdOut(points, prepared.map((p) => foldOf(`${p.set}:${p.item.id ?? p.item.question}`, folds)), folds, cost);
  // Held out by corpus: each corpus is measured with the parameters the others chose. A parameter that helps one
  // corpus and hurts another shows here, not in the k-fold figures (whose folds mix both).
  const corpora = [...new Set(prepared.map((p) => p.corpus))];
  const byCorpus = corpora.length > 1 ? holdOut(points, prepared.map((p) => corpora.indexOf(p.corpus)), corpora.length, cost) : null;
  const all = bestPoint(points, () => true, cost);
  return {
    folds,
    points: points.length,
    heldOut: kFold.heldOut,
    fit: [...all.correct].map((c) => c === 1),
    fitParameters: all.parameters,
    chosen: kFold.chosen,
    heldOutCorpus: byCorpus?.heldOut ?? null,
    chosenByCorpus: byCorpus ? Object.fromEntries(corpora.map((corpus, i) => [corpus, byCorpus.chosen[i]!])) : null,
  };
}

/** For each fold, the best point on the other folds, and how it does on this one. */
function holdOut(points: readonly GridPoint[], fold: readonly number[], folds: number, wrongAnswerCost: number): { heldOut: boolean[]; chosen: ExtractiveParameters[] } {
  const heldOut: boolean[] = new Array<boolean>(fold.length).fill(false);
  const chosen: ExtractiveParameters[] = [];
  for (let f = 0; f < folds; f++) {
    const point = bestPoint(points, (i) => fold[i] !== f, wrongAnswerCost);
    chosen.push(point.parameters);
    for (let i = 0; i < fold.length; i++) if (fold[i] === f) heldOut[i] = point.correct[i] === 1;
  }
  return { heldOut, chosen };
}
