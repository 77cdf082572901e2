import { describe, expect, it } from 'vitest';
import { collectionNames } from '../../src/persistence/collections.js';
import { worldNominations } from '../../src/twin/world-nominations.js';
import { startPipeline } from '../helpers/pipeline.js';
import { twinFilm, twinWorld } from '../helpers/twin.js';

describe('a doubtful match', () => {
  it('when a nomination without an IMDb ID finds only a same-title, same-year film by another director, then the film stays a stub and the candidate waits in the review queue', async () => {
    // The nominated film is unknown everywhere; TMDb has a namesake of the same year by someone else.
    const nominated = twinFilm({
      title: 'Parthenope',
      releaseYear: 2024,
      directors: ['Paolo Sorrentino'],
      tmdb: { present: false },
      omdb: { present: false },
      imdb: 'missing',
    });
    const namesake = twinFilm({
      title: 'Parthenope',
      releaseYear: 2024,
      directors: ['Other Person'],
      decoy: true,
    });
    const world = twinWorld([nominated, namesake]);
    const [entry] = worldNominations(world, { seed: 1 });
    if (entry === undefined) throw new Error('no nomination');
    const nomination = { ...entry.nomination, film: { ...entry.nomination.film, imdbId: null } };

    const pipeline = await startPipeline({ world, env: { ENRICHMENT_ENABLED: 'false' } });
    await pipeline.startInstance();
    await pipeline.publish([nomination]);
    const nominations = pipeline.db.collection(collectionNames.nominations);
    await pipeline.waitFor(
      'the nomination recorded',
      async () => (await nominations.countDocuments()) === 1,
      60_000,
    );

    const movies = await pipeline.db.collection(collectionNames.movies).find().toArray();
    expect(movies).toHaveLength(1);
    expect(movies[0]).toMatchObject({ importType: 'stub', needsEnrichment: true });
    expect(movies[0]?.tmdbId).toBeUndefined();
    const review = await pipeline.db
      .collection(collectionNames.reviewQueue)
      .find({ status: 'open' })
      .toArray();
    expect(review).toHaveLength(1);
    expect(review[0]).toMatchObject({ movieKey: movies[0]?.key, reason: 'low_confidence' });
    const candidates = (review[0]?.candidates ?? []) as { id: string; source: string }[];
    expect(candidates.some((c) => c.source === 'tmdb' && c.id === String(namesake.tmdbId))).toBe(true);
  }, 120_000);
});
