// One phase of `npm run bench` (build or query) in a fresh process, so its memory figures are its own.
// Usage (by measure.ts): child.ts <build|query> <job.json> <result.json>
import { runMain } from '../../src/cli/common.js';
import { runPhase } from './measure.js';

runMain(async () => {
  const [phase, jobPath, resultPath] = process.argv.slice(2);
  if (!phase || !jobPath || !resultPath) throw new Error('usage: child.ts <build|query> <job.json> <result.json>');
  await runPhase(phase, jobPath, resultPath);
});
