import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Every command but `run` gives the signals bin/festival-resolver.js kept while the modules
 * loaded back to their default: a SIGTERM during start-up ends the process, whenever it came.
 * `twin` is the command under test because it would otherwise run until signalled (its own
 * handler goes on only once it serves). The stops fall across module loading, where the
 * main thread is busy and a signal can be delivered before the event loop dispatches it.
 */

const bin = fileURLToPath(new URL('../../bin/festival-resolver.js', import.meta.url));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function stopTwinAfter(
  ms: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null } | 'running'> {
  const child = spawn(process.execPath, [bin, 'twin', '--generate', '--port', '0', '--size', '20'], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await sleep(ms);
  child.kill('SIGTERM');
  const exit = await Promise.race([exited, sleep(20_000).then(() => 'running' as const)]);
  if (exit === 'running') child.kill('SIGKILL');
  return exit;
}

describe('early signals of the other commands', () => {
  it('when `twin` gets SIGTERM at any time while it starts, then it ends (by the signal, or cleanly once its own handler is on)', async () => {
    const stops: [number, Awaited<ReturnType<typeof stopTwinAfter>>][] = [];
    for (const ms of [100, 250, 400, 600, 800, 1000, 1300, 1700, 2500])
      stops.push([ms, await stopTwinAfter(ms)]);
    for (const [ms, exit] of stops)
      expect(
        exit !== 'running' && (exit.signal === 'SIGTERM' || exit.code === 0),
        `SIGTERM ${ms} ms after the spawn: ${JSON.stringify(exit)}`,
      ).toBe(true);
  }, 240_000);
});
