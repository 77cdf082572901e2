/**
 * The signals bin/festival-resolver.js catches before any module is loaded. A command takes
 * them over (`run`: its own handler, then the pending signal) or releases them (every other
 * command: the default behaviour again, and a pending signal re-raised). Started without the
 * bin (`tsx src/cli/index.ts`), there is nothing to take.
 *
 * The listener count of a signal must never drop to zero on the way: Node then closes the
 * signal's handle, and a signal the kernel has delivered but the event loop has not yet
 * dispatched (a SIGTERM while the main thread is busy loading modules) is addressed to that
 * handle and silently dropped. So the next listener goes on first, the early one comes off
 * after.
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
 * Removes the early handlers and returns the first signal they caught, if any. Call it only
 * once the real handler is installed, in the same tick: a signal not yet dispatched then
 * reaches the real handler, one already caught is returned.
 */
export function takeEarlySignals(): NodeJS.Signals | undefined {
  return detach()?.pending[0];
}

/**
 * Gives the signals their default behaviour back; a signal caught meanwhile ends the process
 * now. A signal still on its way is met by a fallback that does what the default would have
 * (unless the command has installed a handler of its own by then), since removing the last
 * listener would drop it.
 */
export function releaseEarlySignals(): void {
  const holder = globalThis as Record<symbol, EarlySignals | undefined>;
  const signals = holder[key]?.signals ?? [];
  const fallback = (signal: NodeJS.Signals) => {
    for (const s of signals) process.removeListener(s, fallback);
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  for (const signal of signals) process.on(signal, fallback);
  const first = detach()?.pending[0];
  if (first !== undefined) fallback(first);
}
