import { describe, expect, it } from 'vitest';
import { collectionNames } from '../../src/persistence/collections.js';
import { generateWorld } from '../../src/twin/world-generator.js';
import { worldNominations } from '../../src/twin/world-nominations.js';
import { startPipeline } from '../helpers/pipeline.js';
import { startResolverProcess } from './resolver-process.js';

describe('SIGTERM under load', () => {
  it('when the resolver gets SIGTERM with hundreds of messages fetched, then no message starts after the signal, it exits 0 within the deadline and a restart finishes the lineup', async () => {
    const world = generateWorld({ seed: 23, size: 240 });
    const lineup = worldNominations(world, { seed: 4, withoutImdbIdShare: 0.2 });
    // Slow upstreams keep every consumer slot busy and many fetched messages waiting for one.
    const pipeline = await startPipeline({
      world,
      twinOptions: { tmdb: { latencyMs: 120 }, omdb: { latencyMs: 200 }, zyte: { latencyMs: 400 } },
      env: { HTTP_PORT: '0', ENRICHMENT_ENABLED: 'false' },
    });
    const nominations = pipeline.db.collection(collectionNames.nominations);
    await pipeline.publish(lineup.map((l) => l.nomination));

    const first = startResolverProcess(pipeline.env, { logLevel: 'debug' });
    const started = () => first.logs.filter((l) => l.msg === 'message handling started');
    await pipeline.waitFor(
      'the resolver under load',
      async () => started().length >= 40 && (await nominations.countDocuments()) >= 10,
      120_000,
    );
    expect(await nominations.countDocuments()).toBeLessThan(lineup.length / 2);

    const signalledAt = Date.now();
    first.child.kill('SIGTERM');
    const exit = await first.exited();
    const tookMs = Date.now() - signalledAt;
    expect(exit).toEqual({ code: 0, signal: null });
    // The drain deadline is 30 s; the hard shutdown limit 45 s.
    expect(tookMs).toBeLessThan(30_000);

    const shutdown = first.logs.find((l) => l.msg === 'shutting down');
    expect(shutdown, 'the shutdown log line').toBeDefined();
    const after = started().filter((l) => l.time > (shutdown?.time ?? 0));
    expect(after.map((l) => `${String(l.topic)}/${String(l.partition)}/${String(l.offset)}`)).toEqual([]);
    const text = JSON.stringify(first.logs.filter((l) => l.level >= 40)) + first.otherOutput();
    expect(text).not.toMatch(/MongoClientClosedError|MongoTopologyClosedError|client was closed/i);
    expect(
      first.logs.some(
        (l) =>
          l.msg ===
          'drain timeout reached with handlers still running; their messages will be delivered again',
      ),
    ).toBe(false);
    const atStop = await nominations.countDocuments();
    expect(atStop).toBeLessThan(lineup.length);

    const second = startResolverProcess(pipeline.env);
    await pipeline.waitFor(
      'the whole lineup recorded',
      async () => (await nominations.countDocuments()) >= lineup.length,
      240_000,
    );
    const ids = (await nominations.find({}, { projection: { nominationId: 1 } }).toArray()).map(
      (n) => n.nominationId as string,
    );
    expect(new Set(ids).size).toBe(lineup.length);
    second.child.kill('SIGTERM');
    expect(await second.exited()).toEqual({ code: 0, signal: null });
  }, 420_000);
});
