import { describe, expect, it } from 'vitest';
import { collectionNames } from '../../src/persistence/collections.js';
import { generateWorld } from '../../src/twin/world-generator.js';
import { worldNominations } from '../../src/twin/world-nominations.js';
import { startPipeline } from '../helpers/pipeline.js';

describe('resolver with a rejected API key', () => {
  it('when TMDb rejects the key, then consumption pauses, /healthz turns 503 naming the source, and no film is stubbed', async () => {
    const world = generateWorld({ seed: 91, size: 5 });
    const lineup = worldNominations(world, { seed: 2 }).map((l) => l.nomination);
    const pipeline = await startPipeline({ world, env: { TMDB_READ_TOKEN: 'a-revoked-token' } });
    const service = await pipeline.startInstance({}, { opsServer: true });
    await pipeline.publish(lineup);

    await pipeline.waitFor(
      'the consumer to pause',
      () => Promise.resolve(service.consumer.pausedReason() !== null),
      60_000,
    );
    const health = await fetch(`${service.ops.url}/healthz`);
    expect(health.status).toBe(503);
    const body = (await health.json()) as { problems: Record<string, string> };
    expect(JSON.stringify(body.problems)).toMatch(/tmdb rejected the API key/);
    // The variable that is configured, by name.
    expect(body.problems['source:tmdb']).toMatch(
      /tmdb rejected the API key .*fix TMDB_READ_TOKEN and restart/,
    );
    expect(JSON.stringify(body.problems)).not.toContain('a-revoked-token');
    expect((await fetch(`${service.ops.url}/readyz`)).status).toBe(503);

    // Nothing was downgraded: no movie written, and the paid tiers were never asked.
    expect(await pipeline.db.collection(collectionNames.movies).countDocuments()).toBe(0);
    const counts = pipeline.twin.counts();
    expect(counts['omdb.byId'] + counts['omdb.byTitle'] + counts['zyte.extract']).toBe(0);
    const metrics = await (await fetch(`${service.ops.url}/metrics`)).text();
    expect(metrics).toMatch(/festival_resolver_upstream_auth_failures_total\{source="tmdb"\} [1-9]/);
  }, 120_000);
});
