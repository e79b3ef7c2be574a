// The calibration's objective: precision first — a wrong answer costs, a refusal does not.
import { describe, expect, it } from 'vitest';
import { crossValidate, WRONG_ANSWER_COST, type GridPoint, type PreparedItem } from '../../src/eval/calibrate.js';
import { DEFAULT_EXTRACTIVE_PARAMETERS } from '../../src/core/answer/parameters.js';

const items: PreparedItem[] = Array.from({ length: 10 }, (_, i) => ({
  corpus: i < 5 ? 'a' : 'b',
  set: i < 5 ? 'a.jsonl' : 'b.jsonl',
  item: { id: `q${i}`, question: `question ${i}`, expect_any: ['x'] },
  passages: [],
  documents: new Map(),
  evidence: { idf: () => 1 },
  read: () => null,
}));

function point(nearRatio: number, correct: number[], wrong: number[]): GridPoint {
  return {
    parameters: { ...DEFAULT_EXTRACTIVE_PARAMETERS, nearRatio },
    correct: Uint8Array.from(correct),
    wrong: Uint8Array.from(wrong),
    statesEvent: new Uint8Array(correct.length),
  };
}

// Bold answers everything: 6 right, 4 wrong. Careful refuses the 4 it would get wrong, and loses one right answer.
const bold = point(0.5, [1, 1, 1, 0, 0, 1, 1, 1, 0, 0], [0, 0, 0, 1, 1, 0, 0, 0, 1, 1]);
const careful = point(0.75, [1, 1, 0, 0, 0, 1, 1, 1, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

describe('calibration objective', () => {
  it('counts right answers only when wrong answers are free', () => {
    expect(crossValidate(items, { points: [bold, careful], wrongAnswerCost: 0, folds: 2 }).fitParameters.nearRatio).toBe(0.5);
  });

  it('prefers refusing to answering wrongly at the committed cost', () => {
    expect(WRONG_ANSWER_COST).toBeGreaterThan(0);
    const cv = crossValidate(items, { points: [bold, careful], folds: 2 });
    expect(cv.fitParameters.nearRatio).toBe(0.75);
    expect(cv.fit.filter(Boolean)).toHaveLength(5);
    // Held out by corpus: each corpus is judged with the point the other chose.
    expect(cv.heldOutCorpus).toHaveLength(10);
  });
});
