import type { Command } from 'commander';
import { register as registerEnrich } from './enrich.js';
import { register as registerBackfill } from './backfill.js';
import { register as registerConsole } from './console.js';
import { register as registerDemo } from './demo.js';
import { register as registerReplayDlq } from './replay-dlq.js';
import { register as registerReplayParked } from './replay-parked.js';
import { register as registerReport } from './report.js';
import { register as registerReview } from './review.js';
import { register as registerRun } from './run.js';
import { register as registerStack } from './stack.js';
import { register as registerTwin } from './twin.js';

/**
 * Each sub-command lives in its own file and exports `register(program)`; add it here.
 */
export function registerCommands(program: Command): void {
  registerEnrich(program);
  registerRun(program);
  registerStack(program);
  registerTwin(program);
  registerReport(program);
  registerReview(program);
  registerBackfill(program);
  registerReplayDlq(program);
  registerReplayParked(program);
  registerDemo(program);
  registerConsole(program);
}
