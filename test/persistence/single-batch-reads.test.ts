import { MongoClient, type Db } from 'mongodb';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { NormalizedMovie } from '../../src/domain/movie.js';
import { collectionNames } from '../../src/persistence/collections.js';
import { ensureIndexes } from '../../src/persistence/indexes.js';
import { LookupMetricsRepository } from '../../src/persistence/lookup-metrics-repository.js';
import type { FilmRef } from '../../src/persistence/movie-writes.js';
import { MoviesRepository } from '../../src/persistence/movies-repository.js';
import { MongoParkedNominations, parkedCollection } from '../../src/persistence/parked-nominations.js';
import { ReviewQueueRepository } from '../../src/persistence/review-queue-repository.js';
import { cannesLineup } from '../helpers/lineup.js';
import { uniqueDbName } from '../helpers/names.js';
import { testServices } from '../helpers/services.js';

// On the local stack's FerretDB a find with a limit but without singleBatch keeps its
// PostgreSQL connection for a cursor and closes it afterwards: every such read starts a new
// PostgreSQL backend, which cost two backends per nomination and most of the store's CPU in
// bench:resolve (it prints the backends a run started). The reply does not show it (its cursor
// id is 0) and PostgreSQL's session count is shared with the tests running beside this one,
// so what is checked is what the repositories send: no find with a limit but not singleBatch.

interface Watched {
  db: Db;
  /** Every find sent: its collection and whether it had a limit, a single batch. */
  finds: { collection: string; limited: boolean; singleBatch: boolean }[];
}

async function watchedStore(): Promise<Watched> {
  const client = new MongoClient(testServices().mongoUri, {
    serverSelectionTimeoutMS: 5000,
    monitorCommands: true,
  });
  await client.connect();
  const db = client.db(uniqueDbName('cursors'));
  onTestFinished(async () => {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  });
  await ensureIndexes(db);
  const watched: Watched = { db, finds: [] };
  client.on('commandStarted', (event) => {
    if (event.commandName !== 'find') return;
    const command = event.command as { find: string; limit?: number; singleBatch?: boolean };
    watched.finds.push({
      collection: command.find,
      limited: (command.limit ?? 0) !== 0,
      singleBatch: command.singleBatch === true,
    });
  });
  return watched;
}

/** The finds that would leave a cursor (and its PostgreSQL connection) open. */
const cursorKeeping = (w: Watched) => w.finds.filter((f) => f.limited && !f.singleBatch);

/** Films of the real lineup that have an IMDb ID, as the repositories take them. */
function lineupFilms(count: number): (FilmRef & { imdbId: string })[] {
  return cannesLineup()
    .filter((f): f is typeof f & { imdbId: string } => f.imdbId !== null)
    .slice(0, count)
    .map((f) => ({ imdbId: f.imdbId, title: f.title, year: f.editionYear }));
}

function found(film: FilmRef, tmdbId: number): NormalizedMovie {
  return {
    source: 'tmdb',
    title: film.title,
    alternativeTitles: [],
    year: film.year ?? undefined,
    genres: [],
    directors: ['Someone'],
    cast: [],
    countries: [],
    languages: [],
    ratings: [],
    externalIds: { ...(film.imdbId == null ? {} : { imdbId: film.imdbId }), tmdbId },
  };
}

describe('bounded reads are single batches (FerretDB keeps their PostgreSQL connection)', () => {
  it('when films of the lineup are written (stub then resolved, title-keyed then with IMDb ID, the same again), then no find of theirs leaves a cursor open', async () => {
    const watched = await watchedStore();
    const { db } = watched;
    const movies = new MoviesRepository(db);
    const films = lineupFilms(12);
    const now = new Date('2026-11-01T10:00:00Z');
    let writes = 0;
    for (const [i, film] of films.entries()) {
      const titleOnly: FilmRef = { title: film.title, year: film.year };
      if (i % 3 === 0) await movies.upsertStub(film, now);
      if (i % 3 === 1)
        await movies.upsertResolved({
          film: titleOnly,
          movie: found(titleOnly, 1000 + i),
          importType: 'full',
          confidence: 0.9,
          sources: ['tmdb'],
          now,
        });
      for (let again = 0; again < 2; again++)
        await movies.upsertResolved({
          film,
          movie: found(film, 1000 + i),
          importType: 'full',
          confidence: 0.95,
          sources: ['tmdb'],
          now,
        });
      writes += i % 3 === 2 ? 2 : 3;
    }
    expect(writes).toBe(32);
    expect(await db.collection(collectionNames.movies).countDocuments()).toBe(12);
    expect(watched.finds.filter((f) => f.limited).length).toBeGreaterThanOrEqual(writes);
    expect(cursorKeeping(watched)).toEqual([]);
  });

  it('when the review queue, the parked nominations, the lookup attempts and the enrichment queue are listed with a limit (below what is stored, but for the empty parked list), then none leaves a cursor open', async () => {
    const watched = await watchedStore();
    const { db } = watched;
    const now = new Date('2026-11-01T10:00:00Z');
    const movies = new MoviesRepository(db);
    const review = new ReviewQueueRepository(db);
    const films = lineupFilms(6);
    for (const [i, film] of films.entries()) {
      await movies.upsertStub(film, now);
      for (const id of [`n${i}`, `m${i}`])
        await review.open({
          movieKey: film.imdbId,
          reason: 'low_confidence',
          candidates: [],
          nominationIds: [id],
          now,
        });
    }
    await db
      .collection(collectionNames.lookupMetrics)
      .insertMany(films.map((_, i) => ({ source: 'tmdb', inserted_at: new Date(now.getTime() + i) })));
    const later = new Date(now.getTime() + 365 * 86_400_000);
    watched.finds = [];
    for (let round = 0; round < 2; round++) {
      expect(await review.list({ limit: 2 })).toHaveLength(2);
      expect(await review.get(films[0]!.imdbId)).not.toBeNull();
      expect(await new LookupMetricsRepository(db).find({ limit: 2 })).toHaveLength(2);
      expect(await movies.findForEnrichment({ now: later, limit: 2 })).toHaveLength(2);
      expect(await new MongoParkedNominations(db).list({}, 2)).toEqual([]);
    }
    expect(new Set(watched.finds.filter((f) => f.limited).map((f) => f.collection))).toEqual(
      new Set([
        collectionNames.reviewQueue,
        collectionNames.lookupMetrics,
        collectionNames.movies,
        parkedCollection,
      ]),
    );
    expect(cursorKeeping(watched)).toEqual([]);
  });
});
