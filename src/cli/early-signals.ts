/**
 * The signals bin/festival-resolver.js catches before any module is loaded. A command takes
 * them over (`run`: its own handler, then the pending signal) or releases them (every other
 * command: the default behaviour again, and a pending signal re-raised). Started without the
 * bin (`tsx src/cli/index.ts`), there is nothing to take.
 */

interface EarlySignals {
  signals: NodeJS.Signals[];
  pending: NodeJS.Signals[];
  listener: (signal: NodeJS.Signals) => void;
}

const key = Symbol.for('festival-resolver.early-signals');

function detach(): EarlySignals | undefined {
  const holder = globalThis as Record<symbol, EarlySignals | undefined>;
  const early = holder[key];
  if (early === undefined) return undefined;
  holder[key] = undefined;
  for (const signal of early.signals) process.removeListener(signal, early.listener);
  return early;
}

/**
 * Removes the early handlers and returns the first signal they caught, if any. Call it in the
 * same tick as installing the real handler, so that no signal falls between the two.
 */
export function takeEarlySignals(): NodeJS.Signals | undefined {
  return detach()?.pending[0];
}

/** Gives the signals their default behaviour back; a signal caught meanwhile ends the process now. */
export function releaseEarlySignals(): void {
  const first = detach()?.pending[0];
  if (first !== undefined && process.listenerCount(first) === 0) process.kill(process.pid, first);
}
