import { describe, expect, it } from 'vitest';
import { collectionNames } from '../../src/persistence/collections.js';
import { generateWorld } from '../../src/twin/world-generator.js';
import { worldNominations } from '../../src/twin/world-nominations.js';
import { startPipeline } from '../helpers/pipeline.js';

/**
 * Zyte charges every fetch, blocked or not. A film whose IMDb page stays blocked through both
 * fetches of its first nomination is a stub; its next nominations (another category, another
 * festival) are stubs too without paying for the page again while CACHE_BLOCKED_TTL_HOURS runs.
 */
describe('a page given up as blocked', () => {
  it('when a film TMDb and OMDb lack has a page that stays blocked, then its second nomination does not fetch the page again: 2 charged fetches per film, one stub holding both nominations', async () => {
    const world = generateWorld({
      seed: 61,
      size: 5,
      ratios: {
        tmdbFindMiss: 1,
        tmdbAbsentOfMisses: 1,
        omdbRescue: 0,
        imdbMissing: 0,
        imdbBlocked: 1,
        decoysPerFilm: 0,
      },
    });
    const competition = worldNominations(world, { category: 'competition' });
    const jury = worldNominations(world, { category: 'jury' });
    expect(
      competition.every((c) => c.answer.imdb === 'blocked' && !c.answer.tmdbPresent && !c.answer.omdb),
    ).toBe(true);
    const pipeline = await startPipeline({
      world,
      env: { RETRY_BASE_DELAY_MS: '200', ENRICHMENT_ENABLED: 'false' },
    });
    await pipeline.startInstance();
    const nominations = pipeline.db.collection(collectionNames.nominations);

    await pipeline.publish(competition.map((c) => c.nomination));
    await pipeline.waitFor(
      'the first nominations recorded',
      async () => (await nominations.countDocuments()) >= competition.length,
      120_000,
    );
    const films = competition.length;
    // The page is retried once, then given up: each fetch is charged.
    expect(pipeline.twin.counts()['zyte.charged']).toBe(2 * films);

    await pipeline.publish(jury.map((j) => j.nomination));
    await pipeline.waitFor(
      'the second nominations recorded',
      async () => (await nominations.countDocuments()) >= 2 * films,
      120_000,
    );
    expect(pipeline.twin.counts()['zyte.charged']).toBe(2 * films);

    const movies = await pipeline.db.collection(collectionNames.movies).find().toArray();
    expect(movies).toHaveLength(films);
    expect(movies.every((m) => m.importType === 'stub')).toBe(true);
    for (const { answer } of competition)
      expect(
        (await nominations.find({ movieKey: answer.imdbId }).toArray())
          .map((n) => n.category as string)
          .sort(),
      ).toEqual(['competition', 'jury']);
    // The service's own record of its Zyte spend agrees: one attempt per charged fetch.
    const fetches = await pipeline.db
      .collection(collectionNames.lookupMetrics)
      .countDocuments({ source: 'imdb' });
    expect(fetches).toBe(2 * films);
  }, 240_000);
});
