import { describe, expect, it } from 'vitest';
import type { SourceName } from '../../src/domain/movie.js';
import { collectionNames } from '../../src/persistence/collections.js';
import { parkedCollection } from '../../src/persistence/parked-nominations.js';
import type { Answer } from '../../src/twin/world.js';
import { generateWorld } from '../../src/twin/world-generator.js';
import { worldNominations } from '../../src/twin/world-nominations.js';
import { startPipeline } from '../helpers/pipeline.js';

/**
 * What the world allows with OMDb's daily quota spent: TMDb when it knows the film, else the
 * IMDb page when it renders, else a stub. The quota is a per-day limit, not an outage: the
 * tier is skipped until the next day, and enrichment upgrades those stubs later.
 */
function expected(answer: Answer): string {
  const tier: SourceName | null = answer.tmdbPresent ? 'tmdb' : answer.imdb === 'present' ? 'imdb' : null;
  return tier === null ? 'stub' : `full:${tier}`;
}

describe('faults while resolving', () => {
  it('when TMDb is down then recovers, Zyte answers 520 to half the requests and OMDb quota is spent, then no film is downgraded, and the parked count rises during the outage and returns to 0', async () => {
    const world = generateWorld({ seed: 33, size: 60 });
    const lineup = worldNominations(world, { seed: 3 });
    const outageMs = 35_000;
    const outage = { startsAt: Date.now(), endsAt: Date.now() + outageMs };
    const pipeline = await startPipeline({
      world,
      twinOptions: { tmdb: { outage }, zyte: { errorRate: 0.5 }, omdb: { dailyQuota: 1 } },
      // A short horizon so that the outage outlives it and parks nominations; quick re-drive passes.
      env: {
        RETRY_HORIZON: '12s',
        RETRY_BASE_DELAY_MS: '500',
        RETRY_MAX_DELAY_MS: '4000',
        PARK_REDRIVE_INTERVAL: '2s',
        ENRICHMENT_ENABLED: 'false',
      },
    });
    const service = await pipeline.startInstance();
    await pipeline.publish(lineup.map((l) => l.nomination));
    const parked = pipeline.db.collection(parkedCollection);
    const nominations = pipeline.db.collection(collectionNames.nominations);

    let parkedPeak = 0;
    let gaugePeak = 0;
    const gauge = async () => {
      const metric = await service.metrics.registry
        .getSingleMetric('festival_resolver_parked_nominations')
        ?.get();
      return (metric?.values ?? []).reduce((sum, v) => sum + v.value, 0);
    };
    await pipeline.waitFor(
      'every nomination recorded and nothing parked',
      async () => {
        parkedPeak = Math.max(parkedPeak, await parked.countDocuments());
        gaugePeak = Math.max(gaugePeak, await gauge());
        return (await nominations.countDocuments()) >= lineup.length && (await parked.countDocuments()) === 0;
      },
      240_000,
    );
    const movies = await pipeline.db.collection(collectionNames.movies).find().toArray();
    const byImdb = new Map(movies.map((m) => [m.imdbId as string, m]));
    const downgraded: string[] = [];
    for (const { answer } of lineup) {
      const movie = byImdb.get(answer.imdbId);
      const got =
        movie === undefined
          ? 'missing'
          : movie.importType === 'stub'
            ? 'stub'
            : `${String(movie.importType)}:${(movie.dataSourceHierarchy as string[])[0]}`;
      if (got !== expected(answer)) downgraded.push(`${answer.imdbId}: want ${expected(answer)}, got ${got}`);
    }
    expect(downgraded).toEqual([]);
    expect(Date.now()).toBeGreaterThan(outage.endsAt);
    expect(parkedPeak, 'nominations were parked during the outage').toBeGreaterThan(0);
    expect(gaugePeak, 'the parked gauge rose').toBeGreaterThan(0);
    await pipeline.waitFor('the parked gauge back to 0', async () => (await gauge()) === 0, 10_000);

    expect(await nominations.countDocuments()).toBe(lineup.length);
  }, 300_000);
});
