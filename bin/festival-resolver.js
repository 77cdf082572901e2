#!/usr/bin/env node
// The very first thing: keep a SIGTERM or SIGINT that arrives while the modules load (tsx
// compiles the whole tree, a second or more) instead of dying by it. `run` takes the pending
// signal over with its real handler and stops cleanly (exit 0, nothing started); every other
// command gets the default behaviour back before its action runs (src/cli/early-signals.ts).
// Only a signal during Node's own bootstrap, before this line, still ends the process by it.
const early = {
  signals: ['SIGTERM', 'SIGINT'],
  pending: [],
  listener: (signal) => early.pending.push(signal),
};
for (const signal of early.signals) process.on(signal, early.listener);
globalThis[Symbol.for('festival-resolver.early-signals')] = early;

// Then the TypeScript entry point, run directly through tsx, so the CLI needs no build step.
const { register } = await import('tsx/esm/api');
register();
await import('../src/cli/index.ts');
