// Long synchronous work on the bot's event loop (a re-index: chunking, embedding, the graph, the keyword postings)
// is cut into slices: between two slices the loop reads the socket and answers, so an interaction is acknowledged
// within Discord's 3 s whatever a re-index is doing.

/** Milliseconds of work between two turns of the event loop. */
export const SLICE_MS = 10;

export class Pacer {
  private since = performance.now();

  constructor(private readonly sliceMs = SLICE_MS) {}

  /** True once the current slice is used up (cheap enough to ask once per row). */
  get due(): boolean {
    return performance.now() - this.since >= this.sliceMs;
  }

  /** Gives the event loop a turn: I/O callbacks (a Discord interaction) run before the work goes on. */
  async pause(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.since = performance.now();
  }

  /** Pauses when the slice is used up. */
  async tick(): Promise<void> {
    if (this.due) await this.pause();
  }
}

/**
 * Work written as a generator that yields where it may be paused (after a row, a sentence, a paragraph) runs either
 * at once (`runSync`) or in slices (`runPaced`): one body of code, the same result both ways.
 */
export function runSync<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Runs the steps, giving the event loop a turn whenever `pacer`'s slice is used up. */
export async function runPaced<T>(steps: Generator<void, T>, pacer: Pacer): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (pacer.due) await pacer.pause();
  }
}
