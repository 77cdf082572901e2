import { describe, expect, it } from 'vitest';
import { ensureIndexes } from '../../src/persistence/indexes.js';
import { isDuplicateKeyError } from '../../src/persistence/mongo-errors.js';
import { MoviesRepository } from '../../src/persistence/movies-repository.js';
import { ReviewQueueRepository } from '../../src/persistence/review-queue-repository.js';
import { resolveReview } from '../../src/ops/review/review-actions.js';
import { testDb } from '../helpers/mongo.js';

/**
 * Why: a curator who resolved a review item with a TMDb ID another movie already had got an
 * internal error (a 500 on the console) instead of "another movie already has …": the old
 * store (FerretDB 1.24 on SQLite) reported a unique-index violation by an update as code 1
 * ("UNIQUE constraint failed"), not E11000. The store must answer E11000 for an update too.
 */
describe('a unique-index violation by an update', () => {
  it('when a curator gives a TMDb ID another movie has, then it is a duplicate key and the review action says so', async () => {
    const { db } = await testDb('issue_unique_update');
    await ensureIndexes(db);
    const movies = new MoviesRepository(db);
    const reviews = new ReviewQueueRepository(db);
    const taken = await movies.upsertStub({ imdbId: null, title: 'Taken', year: 2020 });
    await movies.lockFields(taken.document.key, { tmdbId: 424242 });
    const other = await movies.upsertStub({ imdbId: null, title: 'Other', year: 2020 });
    const error = await movies.lockFields(other.document.key, { tmdbId: 424242 }).catch((e: unknown) => e);
    expect(isDuplicateKeyError(error)).toBe(true);

    await reviews.open({ movieKey: other.document.key, reason: 'all_sources_failed' });
    await expect(
      resolveReview({ reviews, movies }, other.document.key, { tmdbId: 424242, by: 'ana' }),
    ).rejects.toThrow(/another movie already has tmdb 424242/);
    expect((await reviews.get(other.document.key))?.status).toBe('open');
  });
});
