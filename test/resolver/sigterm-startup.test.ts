import { describe, expect, it } from 'vitest';
import { collectionNames } from '../../src/persistence/collections.js';
import { generateWorld } from '../../src/twin/world-generator.js';
import { worldNominations } from '../../src/twin/world-nominations.js';
import { startPipeline } from '../helpers/pipeline.js';
import { startResolverProcess, type ResolverProcess } from './resolver-process.js';

/**
 * A SIGTERM that arrives before start-up is over — while Node loads the modules (tsx compiles
 * the tree, a second or more), or while the service connects — is a clean stop: exit 0,
 * nothing handled after the signal. Before the fix, a signal during module load killed the
 * process by the signal: the handler was installed only once the `run` action ran. And a
 * signal sent while the main thread was busy loading (delivered by the kernel, not yet
 * dispatched by the event loop) was dropped: the early handler came off before the real one
 * went on, so Node closed the signal's handle in between, and the run went on to handle the
 * lineup (the stop 1000 ms after the spawn, in most runs).
 *
 * What no JavaScript can change: a signal during Node's own bootstrap, before the entry file's
 * first line, ends the process by the signal (Node has its own SIGTERM disposition until user
 * code runs; 70–170 ms on this loaded 2-core machine, over a second under a full test run). A
 * data: module given to --import writes a marker from a `newListener` hook the moment the
 * entry file adds its SIGTERM listener (Node's own hook, registered earlier, has already
 * started listening for the signal by then), so the test knows which side of that line each
 * signal fell.
 */

const installed = 'sigterm-handler-installed';
const hook = `process.on("newListener", (event) => { if (event === "SIGTERM") process.stderr.write("${installed}\\n"); });`;
const marker = `--import=data:text/javascript,${encodeURIComponent(hook)}`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls every 5 ms (the pipeline's waitFor polls too slowly to hit module loading). */
async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

interface Stopped {
  label: string;
  exit: { code: number | null; signal: NodeJS.Signals | null };
  /** The entry file's SIGTERM handler was installed (marker seen) before the signal. */
  afterFirstLine: boolean;
  startedAfterSignal: number;
  started: number;
}

async function stopAt(
  label: string,
  child: ResolverProcess,
  spawnedAt: number,
  when: () => Promise<void>,
): Promise<Stopped> {
  await when();
  const signalledAt = Date.now();
  const seen = child.seenOnStderr(installed);
  child.child.kill('SIGTERM');
  // A lost signal leaves the process running on (it was seen handling the whole lineup):
  // fail on it well within the test's time, past the shutdown's own 45 s limit.
  const exit = await Promise.race([child.exited(), sleep(60_000).then(() => undefined)]);
  if (exit === undefined) {
    child.child.kill('SIGKILL');
    throw new Error(`${label}: still running 60 s after SIGTERM (the signal was lost)`);
  }
  const starts = child.logs.filter((l) => l.msg === 'message handling started');
  process.stdout.write(
    `[sigterm-startup] ${label}: signal at ${signalledAt - spawnedAt} ms (handler from ${seen === undefined ? 'not yet' : `${seen - spawnedAt} ms`}) -> ${exit.signal ?? `exit ${exit.code}`}, ${starts.length} message(s) started\n`,
  );
  return {
    label,
    exit,
    afterFirstLine: seen !== undefined,
    startedAfterSignal: starts.filter((l) => l.time > signalledAt).length,
    started: starts.length,
  };
}

describe('SIGTERM during start-up', () => {
  it('when `run` gets SIGTERM while Node loads its modules or while it connects, then it exits 0 and starts no message after the signal, and a later run finishes the lineup', async () => {
    const world = generateWorld({ seed: 44, size: 12 });
    const lineup = worldNominations(world, { seed: 2 });
    const pipeline = await startPipeline({ world, env: { HTTP_PORT: '0', ENRICHMENT_ENABLED: 'false' } });
    await pipeline.publish(lineup.map((l) => l.nomination));
    const nominations = pipeline.db.collection(collectionNames.nominations);

    const results: Stopped[] = [];
    const spawn = () => {
      const spawnedAt = Date.now();
      return {
        child: startResolverProcess(pipeline.env, { logLevel: 'debug', nodeArgs: [marker] }),
        spawnedAt,
      };
    };
    // Fixed times after the spawn: the early ones may fall in Node's own bootstrap.
    for (const ms of [5, 50, 200, 1000]) {
      const { child, spawnedAt } = spawn();
      results.push(await stopAt(`${ms} ms after spawn`, child, spawnedAt, () => sleep(ms)));
    }
    // Times after the entry file's handler: inside module loading, where the process used to die by the signal.
    for (const ms of [0, 30, 100, 400]) {
      const { child, spawnedAt } = spawn();
      results.push(
        await stopAt(`${ms} ms after the handler`, child, spawnedAt, async () => {
          await until('the handler installed', () => child.seenOnStderr(installed) !== undefined);
          await sleep(ms);
        }),
      );
    }
    // While start-up connects: our first log line is written (the modules are loaded).
    {
      const { child, spawnedAt } = spawn();
      results.push(
        await stopAt('at the first log line', child, spawnedAt, () =>
          until('a log line', () => child.logs.length > 0),
        ),
      );
    }

    for (const r of results) {
      expect(r.startedAfterSignal, `${r.label}: messages started after the signal`).toBe(0);
      if (r.afterFirstLine) expect(r.exit, r.label).toEqual({ code: 0, signal: null });
      // Before user code: Node's own disposition, and nothing of ours ran.
      else expect(r.exit.code === 0 || r.exit.signal === 'SIGTERM', r.label).toBe(true);
    }
    // The strict check really ran: for every stop after the handler and at the first log line.
    expect(results.filter((r) => r.afterFirstLine).length).toBeGreaterThanOrEqual(5);
    const started = results.reduce((n, r) => n + r.started, 0);
    expect(await nominations.countDocuments()).toBeLessThanOrEqual(started);

    // Nothing was lost: a run that is left alone records the whole lineup.
    const last = startResolverProcess(pipeline.env);
    await pipeline.waitFor(
      'the whole lineup',
      async () => (await nominations.countDocuments()) >= lineup.length,
      120_000,
    );
    last.child.kill('SIGTERM');
    expect(await last.exited()).toEqual({ code: 0, signal: null });
  }, 300_000);
});
