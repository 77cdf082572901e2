import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { nominationKey } from '../../src/kafka/message-key.js';
import { collectionNames } from '../../src/persistence/collections.js';
import { MongoParkedNominations } from '../../src/persistence/parked-nominations.js';
import { generateWorld } from '../../src/twin/world-generator.js';
import { worldNominations } from '../../src/twin/world-nominations.js';
import { startPipeline } from '../helpers/pipeline.js';

const token = 'curator-token-for-the-standalone-console';

/** The cookies a response sets, as one Cookie header together with the ones already held. */
function cookies(held: string, response: Response): string {
  const set = response.headers.getSetCookie().map((c) => c.split(';')[0]!);
  return [held, ...set].filter((c) => c !== '').join('; ');
}

describe('`festival-resolver console` without a resolver', () => {
  it('when a curator re-drives a parked nomination there, then the console publishes it on its own producer and a resolver started later records it', async () => {
    const world = generateWorld({ seed: 52, size: 2, ratios: { tmdbFindMiss: 0 } });
    const [entry] = worldNominations(world, { seed: 3 });
    if (entry === undefined) throw new Error('no nomination');
    const pipeline = await startPipeline({ world, env: { ENRICHMENT_ENABLED: 'false' } });
    await pipeline.publish([]); // topics and schemas
    const parking = new MongoParkedNominations(pipeline.db);
    const id = entry.nomination.nominationId;
    await parking.park({
      nominationId: id,
      source: 'tmdb',
      reason: 'tmdb answered 503',
      since: new Date(Date.now() - 7 * 3_600_000),
      parkedAt: new Date(Date.now() - 600_000),
      tierAttempts: { tmdb: 30 },
      key: Buffer.from(nominationKey(entry.nomination)),
      value: await pipeline.codec.encode('nomination', entry.nomination),
    });

    const bin = fileURLToPath(new URL('../../bin/festival-resolver.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'console', '--port', '0', '--no-enrich'], {
      env: { ...process.env, ...pipeline.env, CONSOLE_TOKEN: token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no console address: ${stdout} ${stderr}`)), 60_000);
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        const url = /console: (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
        if (url !== undefined) {
          clearTimeout(timer);
          resolve(url);
        }
      });
    });

    const first = await fetch(`${base}/review?status=parked`);
    const page = await first.text();
    expect(page).toContain(id);
    expect(page).toContain('no re-driver in this process');
    let cookie = cookies('', first);
    const csrf = () => /"x-csrf-token": "([^"]+)"/.exec(page)?.[1] ?? '';
    const form = (fields: Record<string, string>) => ({
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'hx-request': 'true' },
      body: new URLSearchParams({ _csrf: csrf(), ...fields }).toString(),
      redirect: 'manual' as const,
    });
    const login = await fetch(`${base}/login`, form({ token }));
    expect(login.status).toBe(303);
    cookie = cookies(cookie, login);

    const redriven = await fetch(`${base}/review/parked/redrive`, form({ nominationId: id }));
    const fragment = await redriven.text();
    expect(redriven.status, fragment).toBe(200);
    expect(fragment).toContain('Re-driven');
    expect(fragment).toContain(pipeline.env.TOPIC_NOMINATIONS);
    expect(await parking.get(id)).toBeNull();

    // The message is on the input topic: a resolver started now records it.
    await pipeline.startInstance();
    const nominations = pipeline.db.collection(collectionNames.nominations);
    await pipeline.waitFor(
      'the re-driven nomination recorded',
      async () => (await nominations.countDocuments({ nominationId: id })) === 1,
      60_000,
    );
    const status = await fetch(
      `${base}/review/parked/status?nominationId=${encodeURIComponent(id)}&since=${Date.now() - 60_000}`,
    );
    expect(await status.text()).toMatch(/data-kind="recorded"/);

    child.kill('SIGTERM');
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    expect(exit, stderr).toEqual({ code: 0, signal: null });
  }, 180_000);
});
