import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { collectionNames } from '../../src/persistence/collections.js';
import { generateWorld } from '../../src/twin/world-generator.js';
import { worldNominations } from '../../src/twin/world-nominations.js';
import { startPipeline } from '../helpers/pipeline.js';

const bin = fileURLToPath(new URL('../../bin/festival-resolver.js', import.meta.url));

/** `festival-resolver run` as a real child process, as an operator would start it. */
function startResolverProcess(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [bin, 'run'], {
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGKILL' && signal !== 'SIGTERM')
      process.stderr.write(`resolver exited ${code ?? signal}: ${stderr}\n`);
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('resolver process crash and restart', () => {
  it('when the resolver is killed with SIGKILL mid-run and started again, then nothing is lost and nothing is duplicated', async () => {
    const world = generateWorld({ seed: 71, size: 80 });
    const lineup = worldNominations(world, { seed: 8, withoutImdbIdShare: 0.2 });
    const pipeline = await startPipeline({ world, env: { HTTP_PORT: '0' } });
    const nominations = pipeline.db.collection(collectionNames.nominations);
    await pipeline.publish(lineup.map((l) => l.nomination));

    const first = startResolverProcess(pipeline.env);
    await pipeline.waitFor(
      'a first share of the lineup recorded',
      async () => (await nominations.countDocuments()) >= 15,
      180_000,
    );
    first.kill('SIGKILL');
    expect((await exited(first)).signal).toBe('SIGKILL');
    const atCrash = await nominations.countDocuments();
    expect(atCrash).toBeLessThan(lineup.length);

    const second = startResolverProcess(pipeline.env);
    await pipeline.waitFor(
      'the whole lineup recorded',
      async () => (await nominations.countDocuments()) >= lineup.length,
      240_000,
    );

    expect(await nominations.countDocuments()).toBe(lineup.length);
    const ids = (await nominations.find({}, { projection: { nominationId: 1 } }).toArray()).map(
      (n) => n.nominationId as string,
    );
    expect(new Set(ids).size).toBe(lineup.length);
    const movies = await pipeline.db.collection(collectionNames.movies).find().toArray();
    expect(new Set(movies.map((m) => m.key as string)).size).toBe(movies.length);
    const imdbIds = movies.flatMap((m) => (typeof m.imdbId === 'string' ? [m.imdbId] : []));
    expect(new Set(imdbIds).size).toBe(imdbIds.length);
    // Every nomination points at a movie that exists.
    const keys = new Set(
      movies.flatMap((m) => [m.key as string, ...((m.aliasKeys as string[] | undefined) ?? [])]),
    );
    for (const n of await nominations.find().toArray()) expect(keys.has(n.movieKey as string)).toBe(true);

    // SIGTERM drains and exits cleanly.
    second.kill('SIGTERM');
    expect(await exited(second)).toEqual({ code: 0, signal: null });
  }, 480_000);
});
