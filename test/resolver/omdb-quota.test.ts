import { describe, expect, it } from 'vitest';
import { collectionNames } from '../../src/persistence/collections.js';
import { generateWorld } from '../../src/twin/world-generator.js';
import { worldNominations } from '../../src/twin/world-nominations.js';
import { startPipeline } from '../helpers/pipeline.js';

/**
 * The OMDb daily quota bounds the HTTP requests the service really sends, retries and title
 * queries included, whatever the number of instances: a film without an IMDb ID can cost
 * several title queries, and a 503 a second try of each.
 */
describe('OMDb daily quota across instances', () => {
  it('when three instances share a quota of 8 requests and OMDb answers 503 to some, then at most 8 OMDb requests are sent', async () => {
    const quota = 8;
    const world = generateWorld({
      seed: 61,
      size: 30,
      ratios: { tmdbFindMiss: 1, tmdbAbsentOfMisses: 1, omdbRescue: 0.5, imdbBlocked: 0, imdbMissing: 1 },
    });
    const lineup = worldNominations(world, { seed: 6, withoutImdbIdShare: 0.5 });
    const pipeline = await startPipeline({
      world,
      twinOptions: { omdb: { errorRate: 0.3 } },
      env: { OMDB_DAILY_REQUEST_QUOTA: String(quota), CONSUMER_CONCURRENCY: '4' },
    });
    await Promise.all([pipeline.startInstance(), pipeline.startInstance(), pipeline.startInstance()]);
    await pipeline.publish(lineup.map((l) => l.nomination));
    await pipeline.waitFor(
      'every nomination recorded',
      async () =>
        (await pipeline.db.collection(collectionNames.nominations).countDocuments()) >= lineup.length,
      240_000,
    );
    const counts = pipeline.twin.counts();
    const sent = (counts['omdb.byId'] ?? 0) + (counts['omdb.byTitle'] ?? 0);
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThanOrEqual(quota);
  }, 300_000);
});
