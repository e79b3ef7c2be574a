// How busy the process is, from the event loop's own delay: optional work (threads from answers) is skipped while
// the loop lags, so the CPU that is left goes to answers. Measured over short windows, cheaply (a histogram Node
// keeps itself).
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface LoadGauge {
  /** True when the last window's p99 event-loop delay was over the limit. */
  busy(): boolean;
  close(): void;
}

/**
 * A 99th percentile of 50 ms means answers are already waiting for the CPU (measured with the Discord bench: 8–25 ms
 * when the process keeps up with 40 /ask per second, 50–150 ms when other processes take the cores).
 */
export function eventLoopGauge(options: { limitMs?: number; windowMs?: number } = {}): LoadGauge {
  const limitNs = (options.limitMs ?? 50) * 1e6;
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let busy = false;
  const timer = setInterval(() => {
    busy = histogram.count > 0 && histogram.percentile(99) > limitNs;
    histogram.reset();
  }, options.windowMs ?? 500);
  timer.unref();
  return {
    busy: () => busy,
    close() {
      clearInterval(timer);
      histogram.disable();
    },
  };
}
