import { describe, expect, it } from 'vitest';
import { collectionNames } from '../../src/persistence/collections.js';
import { createRandom } from '../../src/twin/prng.js';
import { generateWorld } from '../../src/twin/world-generator.js';
import { worldNominations } from '../../src/twin/world-nominations.js';
import { startPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { startRecordingProxy } from './recording-proxy.js';
import { startResolverProcess } from './resolver-process.js';

const world = generateWorld({ seed: 91, size: 300 });
const lineup = worldNominations(world, { seed: 12, withoutImdbIdShare: 0.2 });
const twinOptions = {
  tmdb: { latencyMs: 60, jitterMs: 40 },
  omdb: { latencyMs: 120, jitterMs: 60 },
  zyte: { latencyMs: 400, jitterMs: 300 },
};
const env = {
  HTTP_PORT: '0',
  ENRICHMENT_ENABLED: 'false',
  KAFKA_SESSION_TIMEOUT_MS: '6000',
  TMDB_RATE_PER_SECOND: '200',
  OMDB_RATE_PER_SECOND: '100',
  ZYTE_RATE_PER_SECOND: '100',
  // Few slots and realistic latencies make the run last long enough for several crashes.
  CONSUMER_CONCURRENCY: '4',
  // On a loaded machine a 3 s client timeout fires before a late-read answer: a paid retry that is no crash's doing.
  SOURCE_TIMEOUT_MS: '15000',
};

const paidPath = (url: string) => url.startsWith('/omdb') || url.startsWith('/zyte');

/** Requests that cost money at the twin: every OMDb request and every Zyte fetch. */
const paidCalls = (p: TestPipeline) => {
  const c = p.twin.counts() as Record<string, number>;
  return Object.entries(c)
    .filter(([endpoint]) => endpoint.startsWith('omdb') || endpoint === 'zyte.charged')
    .reduce((sum, [, n]) => sum + n, 0);
};

async function allRecorded(p: TestPipeline): Promise<boolean> {
  return (await p.db.collection(collectionNames.nominations).countDocuments()) >= lineup.length;
}

describe('repeated crashes', () => {
  it('when the resolver is SIGKILLed again and again during a run, then nothing is lost or duplicated, every interval makes progress and no answer is paid twice beyond what was in flight', async () => {
    // The clean run: the paid calls this lineup needs.
    const clean = await startPipeline({ world, twinOptions, env });
    await clean.publish(lineup.map((l) => l.nomination));
    const cleanStarted = Date.now();
    await clean.startInstance();
    await clean.waitFor('the clean run', () => allRecorded(clean), 120_000);
    const cleanPaid = paidCalls(clean);
    const cleanMs = Date.now() - cleanStarted;
    expect(cleanPaid).toBeGreaterThan(20);

    // The same lineup, killed at random moments.
    const pipeline = await startPipeline({ world, twinOptions, env });
    const proxy = await startRecordingProxy(pipeline.twin.urls.admin.replace(/\/_twin$/, ''));
    const viaProxy = {
      ...pipeline.env,
      TMDB_BASE_URL: `${proxy.url}/tmdb/3`,
      OMDB_BASE_URL: `${proxy.url}/omdb/`,
      ZYTE_BASE_URL: `${proxy.url}/zyte/v1`,
    };
    const nominations = pipeline.db.collection(collectionNames.nominations);
    await pipeline.publish(lineup.map((l) => l.nomination));

    const random = createRandom(5);
    const kills: { at: number; recorded: number }[] = [];
    const runStarted = Date.now();
    for (let i = 0; i < 6 && !(await allRecorded(pipeline)); i++) {
      const child = startResolverProcess(viaProxy);
      // 9–13 s: start-up (3 s, more on a loaded machine) plus the dead member's 6 s session, so each life gets partitions.
      await new Promise((resolve) => setTimeout(resolve, 9000 + random() * 4000));
      child.child.kill('SIGKILL');
      expect((await child.exited()).signal).toBe('SIGKILL');
      kills.push({ at: Date.now(), recorded: await nominations.countDocuments() });
    }
    const last = startResolverProcess(viaProxy, { logLevel: 'info' });
    await pipeline.waitFor('the whole lineup after the crashes', () => allRecorded(pipeline), 120_000);
    const wallMs = Date.now() - runStarted;
    // The earlier lives may have finished the lineup while this one was still starting. A
    // SIGTERM while its modules load or while it connects is a clean stop (exit 0, see
    // sigterm-startup.test.ts), but one during Node's own bootstrap, before the entry file's
    // first line, still ends it by the signal; waiting until it is up also shows that it came up.
    await pipeline.waitFor(
      'the last resolver started',
      () => Promise.resolve(last.logs.some((l) => l.msg === 'resolver started')),
      60_000,
    );
    last.child.kill('SIGTERM');
    expect(await last.exited()).toEqual({ code: 0, signal: null });

    const recorded = kills.map((k) => k.recorded);
    // An answer is in flight until it is stored (a FerretDB write under load takes a few hundred ms).
    const inFlightMarginMs = 500;
    const lostInFlight = proxy.requests.filter(
      (r) =>
        paidPath(r.url) &&
        kills.some(
          (k) => r.startedAt <= k.at && (r.answeredAt === null || r.answeredAt >= k.at - inFlightMarginMs),
        ),
    ).length;
    const killedPaid = paidCalls(pipeline);
    process.stdout.write(
      `[repeated-crashes] clean run ${cleanMs} ms; ${kills.length} kills, recorded at each: ${recorded.join(', ')}; wall ${wallMs} ms; paid calls clean ${cleanPaid}, with kills ${killedPaid}, in flight at a kill ${lostInFlight}\n`,
    );

    const byKey = new Map<string, typeof proxy.requests>();
    for (const r of proxy.requests.filter((q) => paidPath(q.url))) {
      const key = `${r.method} ${r.url} ${r.body}`;
      byKey.set(key, [...(byKey.get(key) ?? []), r]);
    }
    for (const [key, rs] of killedPaid > cleanPaid + lostInFlight ? byKey : []) {
      if (rs.length < 2) continue;
      const rel = rs.map((r) => {
        const k = kills.find((kk) => kk.at >= r.startedAt);
        return `start ${k ? r.startedAt - k.at : 'after'} answered ${r.answeredAt === null ? 'never' : k ? r.answeredAt - k.at : 'after'}`;
      });
      process.stdout.write(`[dup] ${key.slice(0, 120)}: ${rel.join(' | ')}\n`);
    }
    expect(kills.length).toBeGreaterThanOrEqual(4);
    // Progress between kills: every life recorded something.
    for (let i = 1; i < recorded.length; i++)
      expect(recorded[i], `life ${i + 1} made progress`).toBeGreaterThan(recorded[i - 1] ?? 0);

    // Nothing lost, nothing duplicated.
    expect(await nominations.countDocuments()).toBe(lineup.length);
    const ids = (await nominations.find({}, { projection: { nominationId: 1 } }).toArray()).map(
      (n) => n.nominationId as string,
    );
    expect(new Set(ids).size).toBe(lineup.length);
    const movies = await pipeline.db.collection(collectionNames.movies).find().toArray();
    const imdbIds = movies.flatMap((m) => (typeof m.imdbId === 'string' ? [m.imdbId] : []));
    expect(new Set(imdbIds).size).toBe(imdbIds.length);

    // Paid calls: the clean run's count, plus at most the paid requests whose answer was lost with a killed process.
    expect(killedPaid).toBeLessThanOrEqual(cleanPaid + lostInFlight);
  }, 300_000);
});
