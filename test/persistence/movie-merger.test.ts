import type { Db } from 'mongodb';
import { describe, expect, it } from 'vitest';
import type { NormalizedMovie } from '../../src/domain/movie.js';
import type { Nomination } from '../../src/domain/nomination.js';
import { AnnouncementsRepository } from '../../src/persistence/announcements-repository.js';
import { collectionNames } from '../../src/persistence/collections.js';
import { ensureIndexes } from '../../src/persistence/indexes.js';
import type { StoredMovie } from '../../src/persistence/movie-merge.js';
import { MovieMerger } from '../../src/persistence/movie-merger.js';
import { MoviesRepository } from '../../src/persistence/movies-repository.js';
import type { FilmRef } from '../../src/persistence/movie-writes.js';
import { NominationsRepository } from '../../src/persistence/nominations-repository.js';
import { ReviewQueueRepository, type ReviewItem } from '../../src/persistence/review-queue-repository.js';
import { race, sharedStore } from '../conformance/store-fixture.js';
import { testDb } from '../helpers/mongo.js';

// One film, one movie, at the repository: La chimera, in TMDb without its IMDb link
// (tt14256034 / TMDb 723056, as the issue found it).

const t0 = new Date('2026-11-01T10:00:00Z');
const imdbId = 'tt14256034';
const tmdbId = 723056;
const titleKey = 'title:la chimera:2023';
const withId: FilmRef = { imdbId, title: 'La chimera', year: 2023 };
const withoutId: FilmRef = { title: 'La chimera', year: 2023 };

function found(
  externalIds: NormalizedMovie['externalIds'],
  source: NormalizedMovie['source'] = 'tmdb',
): NormalizedMovie {
  return {
    source,
    title: 'La chimera',
    alternativeTitles: [],
    year: 2023,
    genres: ['Drama'],
    directors: ['Alice Rohrwacher'],
    cast: [],
    countries: ['IT'],
    languages: ['it'],
    ratings: [],
    externalIds,
  };
}

function nomination(id: string, film: FilmRef): Nomination {
  return {
    nominationId: id,
    festival: 'cannes_2023',
    editionYear: 2023,
    category: id,
    film: {
      imdbId: film.imdbId ?? null,
      title: film.title,
      originalTitle: null,
      year: film.year ?? null,
      directors: [],
    },
    people: [],
    won: false,
    critical: false,
    producedAt: 1,
  };
}

async function store(): Promise<{
  db: Db;
  movies: MoviesRepository;
  nominations: NominationsRepository;
  review: ReviewQueueRepository;
}> {
  const { db } = await testDb('merge');
  await ensureIndexes(db);
  return {
    db,
    movies: new MoviesRepository(db),
    nominations: new NominationsRepository(db),
    review: new ReviewQueueRepository(db),
  };
}

/** The TMDb record without IMDb link, found by title for a nomination without an IMDb ID. */
const byTitle = (movies: MoviesRepository, now = t0) =>
  movies.upsertResolved({
    film: withoutId,
    movie: found({ tmdbId }),
    importType: 'full',
    confidence: 0.9,
    sources: ['tmdb'],
    now,
  });
/** The same film, nominated with its IMDb ID, found on its IMDb page (no TMDb ID there). */
const byImdbPage = (movies: MoviesRepository, now = t0, film = withId) =>
  movies.upsertResolved({
    film,
    movie: found({ imdbId }, 'imdb'),
    importType: 'full',
    confidence: 0.97,
    sources: ['imdb'],
    now,
  });

async function all(db: Db): Promise<StoredMovie[]> {
  return db
    .collection<StoredMovie>(collectionNames.movies)
    .find({}, { projection: { _id: 0 } })
    .toArray();
}

describe('MoviesRepository: one film, one movie', () => {
  it('when the film is first stored with its IMDb ID and TMDb ID, then a title-only resolution to the same TMDb ID goes into it (the TMDb ID is not dropped, no second movie)', async () => {
    const { db, movies } = await store();
    await movies.upsertResolved({
      film: withId,
      movie: found({ tmdbId }),
      importType: 'full',
      confidence: 0.95,
      sources: ['tmdb'],
      now: t0,
    });
    const second = await byTitle(movies);
    expect(second.document).toMatchObject({ key: imdbId, imdbId, tmdbId });
    expect(await all(db)).toHaveLength(1);
  });

  it('when a title-keyed movie holds the TMDb ID the IMDb-keyed movie then learns, then the two are merged into the IMDb-keyed one, nominations relinked and the merged key announced', async () => {
    const { db, movies, nominations } = await store();
    const title = await byTitle(movies);
    await nominations.record(nomination('jury', withoutId), title.document.key, t0);
    const imdb = await movies.upsertStub(withId, t0);
    // Two documents so far: the stub under its IMDb key shares neither key nor ID yet... except the title key.
    expect(imdb.document.key).toBe(imdbId);
    await nominations.record(nomination('competition', withId), imdb.document.key, t0);
    // The IMDb-keyed movie learns the TMDb ID (enrichment, say): one movie.
    const learnt = await movies.upsertResolved({
      film: withId,
      movie: found({ imdbId, tmdbId }),
      importType: 'full',
      confidence: 0.96,
      sources: ['tmdb'],
      now: t0,
      recordTitleKey: false,
    });
    const stored = await all(db);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      key: imdbId,
      imdbId,
      tmdbId,
      importType: 'full',
      aliasKeys: [titleKey],
      replacesKeys: [titleKey],
    });
    expect(stored[0]?.merging).toBeUndefined();
    expect(learnt.document.key).toBe(imdbId);
    expect((await nominations.findByMovie(imdbId)).map((n) => n.nominationId)).toEqual([
      'competition',
      'jury',
    ]);
    // Once an event named the replaced key, it is not named again.
    await new AnnouncementsRepository(db).markAnnounced(imdbId, 'full:tmdb>imdb', [titleKey]);
    expect((await movies.get(imdbId))?.replacesKeys).toEqual([]);
  });

  it('when a nomination is linked to the title key after the merge relinked the others (it read the key before the merge), then it follows the merge to the survivor', async () => {
    const { db, movies, nominations } = await store();
    const title = await byTitle(movies);
    await movies.upsertStub(withId, t0);
    await new MovieMerger(db).merge(titleKey, imdbId, t0);
    expect((await all(db)).map((m) => m.key)).toEqual([imdbId]);
    // The writer that resolved the film by title is late: its key is the merged one.
    await nominations.record(nomination('late', withoutId), title.document.key, t0);
    await new MovieMerger(db).followMerged(title.document.key, t0);
    expect((await nominations.get('late'))?.movieKey).toBe(imdbId);
    // A key nothing took over stays where it is.
    await new MovieMerger(db).followMerged(imdbId, t0);
    expect((await nominations.get('late'))?.movieKey).toBe(imdbId);
  });

  it('when a film without IMDb ID comes as a stub after the resolved IMDb-keyed movie nominated under the same title, then the stub goes into that movie', async () => {
    const { db, movies } = await store();
    await byImdbPage(movies);
    const stub = await movies.upsertStub(withoutId, t0);
    expect(stub.document).toMatchObject({ key: imdbId, importType: 'full' });
    expect(await all(db)).toHaveLength(1);
  });

  it('when the stub and its review item came first, then the later IMDb-keyed film takes it over: item closed as merged, open count 0', async () => {
    const { db, movies, review } = await store();
    // The stub under the title key, with its review item.
    await movies.upsertStub(withoutId, t0);
    await review.open({ movieKey: titleKey, reason: 'all_sources_failed', nominationIds: ['jury'], now: t0 });
    // Two IMDb-keyed writes racing with it: a stub under the IMDb key made first, then resolved.
    await db.collection(collectionNames.movies).insertOne({
      key: imdbId,
      imdbId,
      title: 'La chimera',
      year: 2023,
      importType: 'stub',
      needsEnrichment: true,
      dataSourceHierarchy: [],
      confidence: 0,
      locked: [],
      createdAt: t0,
      updatedAt: t0,
      version: 1,
      aliasKeys: [],
      titleKeys: [titleKey],
    });
    await byImdbPage(movies);
    const stored = await all(db);
    expect(stored.map((m) => m.key)).toEqual([imdbId]);
    const items = await db.collection<ReviewItem>(collectionNames.reviewQueue).find({}).toArray();
    expect(items).toEqual([
      expect.objectContaining({ movieKey: titleKey, status: 'merged', mergedInto: imdbId }),
    ]);
    expect(await review.countOpen()).toBe(0);
  });

  it('when two films share a title key, then a stub under that title merges into neither', async () => {
    const { db, movies } = await store();
    await byImdbPage(movies);
    await movies.upsertResolved({
      film: { imdbId: 'tt0000042', title: 'La chimera', year: 2023 },
      movie: found({ imdbId: 'tt0000042' }, 'imdb'),
      importType: 'full',
      confidence: 0.97,
      sources: ['imdb'],
      now: t0,
    });
    const stub = await movies.upsertStub(withoutId, t0);
    expect(stub.document.key).toBe(titleKey);
    expect((await all(db)).map((m) => m.key).sort()).toEqual([titleKey, 'tt0000042', imdbId]);
  });

  it('when a TMDb ID is held by a movie of another film (another IMDb ID), then it stays in the data only and nothing is merged', async () => {
    const { db, movies } = await store();
    await movies.upsertResolved({
      film: { imdbId: 'tt0000042', title: 'Other', year: 2023 },
      movie: found({ imdbId: 'tt0000042', tmdbId }),
      importType: 'full',
      confidence: 0.95,
      sources: ['tmdb'],
      now: t0,
    });
    const mine = await movies.upsertResolved({
      film: withId,
      movie: found({ imdbId, tmdbId }),
      importType: 'full',
      confidence: 0.95,
      sources: ['tmdb'],
      now: t0,
    });
    expect(mine.document).toMatchObject({ key: imdbId });
    expect(mine.document.tmdbId).toBeUndefined();
    expect(await all(db)).toHaveLength(2);
  });
});

describe('MovieMerger: a merge cut short finishes on the next write', () => {
  async function twoMovies() {
    const s = await store();
    const title = await byTitle(s.movies);
    await s.nominations.record(nomination('jury', withoutId), title.document.key, t0);
    await s.review.open({ movieKey: titleKey, reason: 'low_confidence', now: t0 });
    return s;
  }

  it('when a crash left the survivor written (step 1) and the loser in place, then the next write of the film finishes: one movie, relinked, item closed', async () => {
    const { db, movies, nominations, review } = await twoMovies();
    const loser = (await movies.get(titleKey))!;
    // Step 1 only: the survivor holds the alias and the pending IDs; the loser still exists.
    await db.collection(collectionNames.movies).insertOne({
      key: imdbId,
      imdbId,
      title: 'La chimera',
      year: 2023,
      importType: 'full',
      needsEnrichment: false,
      dataSourceHierarchy: ['imdb', 'tmdb'],
      confidence: 0.97,
      locked: [],
      createdAt: t0,
      updatedAt: t0,
      version: 2,
      aliasKeys: [titleKey],
      titleKeys: [titleKey],
      replacesKeys: [titleKey],
      merging: { from: [titleKey], tmdbId },
    });
    expect(loser.key).toBe(titleKey);
    const again = await byImdbPage(movies);
    expect(again.document).toMatchObject({ key: imdbId, tmdbId });
    expect((await all(db)).map((m) => m.key)).toEqual([imdbId]);
    expect((await movies.get(imdbId))?.merging).toBeUndefined();
    expect((await nominations.get('jury'))?.movieKey).toBe(imdbId);
    expect(await review.countOpen()).toBe(0);
  });

  it('when a crash came after the loser was deleted, then the survivor takes the IDs it was waiting for', async () => {
    const { db, movies, nominations, review } = await twoMovies();
    await db.collection(collectionNames.movies).deleteOne({ key: titleKey });
    await db.collection(collectionNames.movies).insertOne({
      key: imdbId,
      imdbId,
      title: 'La chimera',
      year: 2023,
      importType: 'full',
      needsEnrichment: false,
      dataSourceHierarchy: ['imdb', 'tmdb'],
      confidence: 0.97,
      locked: [],
      createdAt: t0,
      updatedAt: t0,
      version: 2,
      aliasKeys: [titleKey],
      titleKeys: [titleKey],
      replacesKeys: [titleKey],
      merging: { from: [titleKey], tmdbId },
    });
    await new MovieMerger(db).reconcile((await movies.get(imdbId))!, t0);
    expect(await movies.get(imdbId)).toMatchObject({ tmdbId, aliasKeys: [titleKey] });
    expect((await movies.get(imdbId))?.merging).toBeUndefined();
    expect((await nominations.get('jury'))?.movieKey).toBe(imdbId);
    expect(await review.countOpen()).toBe(0);
  });
});

describe('MovieMerger: the IDs a survivor waits for', () => {
  it('when a movie of another film took the TMDb ID meanwhile, then the survivor finishes without it (kept in data) and nothing else is merged', async () => {
    const { db } = await store();
    const movies = db.collection(collectionNames.movies);
    const base = {
      title: 'La chimera',
      year: 2023,
      importType: 'full',
      needsEnrichment: false,
      dataSourceHierarchy: ['imdb'],
      confidence: 0.97,
      locked: [],
      createdAt: t0,
      updatedAt: t0,
      version: 2,
      titleKeys: [titleKey],
    };
    await movies.insertOne({ ...base, key: 'tt0000042', imdbId: 'tt0000042', tmdbId, aliasKeys: [] });
    await movies.insertOne({
      ...base,
      key: imdbId,
      imdbId,
      aliasKeys: [titleKey],
      replacesKeys: [titleKey],
      merging: { from: [titleKey], tmdbId },
    });
    const { document } = await new MovieMerger(db).reconcile(
      (await movies.findOne({ key: imdbId })) as unknown as StoredMovie,
      t0,
    );
    expect(document.key).toBe(imdbId);
    expect(document.tmdbId).toBeUndefined();
    expect(document.merging).toBeUndefined();
    expect((await all(db)).map((m) => m.key).sort()).toEqual(['tt0000042', imdbId]);
  });
});

describe('MovieMerger under racing writers (4 instances)', () => {
  it('when the two movies of one film are merged while writes to either (and announcements) race, then one movie remains with both IDs, every nomination on it, no open item for a merged key', async () => {
    for (let round = 0; round < 3; round += 1) {
      const { db, views } = await sharedStore(4, 'c-merge');
      const setup = new MoviesRepository(db);
      const nominationsRepo = new NominationsRepository(db);
      // Nominated with its IMDb ID under its English title: nothing ties the two movies yet.
      const english: FilmRef = { imdbId, title: 'The Chimera', year: 2023 };
      await byTitle(setup);
      await byImdbPage(setup, t0, english);
      expect(await all(db)).toHaveLength(2);
      const results = await race(views, 24, async (view, i) => {
        const movies = new MoviesRepository(view);
        const noms = new NominationsRepository(view);
        const at = new Date(t0.getTime() + i);
        // Linked as the resolution store links a nomination: record, then follow a merge
        // that took the key over meanwhile.
        const link = async (n: Nomination, key: string) => {
          await noms.record(n, key, at);
          await new MovieMerger(view).followMerged(key, at);
        };
        switch (i % 6) {
          case 0: // the IMDb-keyed movie learns the TMDb ID: the merge
            return movies.upsertResolved({
              film: withId,
              movie: found({ imdbId, tmdbId }),
              importType: 'full',
              confidence: 0.99,
              sources: ['tmdb'],
              now: at,
            });
          case 1: {
            // another nomination without an IMDb ID, resolved by title to the TMDb record
            const r = await byTitle(movies, at);
            await link(nomination(`jury-${i}`, withoutId), r.document.key);
            return r;
          }
          case 2: {
            const r = await movies.upsertStub(withoutId, at);
            await link(nomination(`stub-${i}`, withoutId), r.document.key);
            await new ReviewQueueRepository(view).open({
              movieKey: r.document.key,
              reason: 'all_sources_failed',
              now: at,
            });
            return r;
          }
          case 3: {
            const r = await byImdbPage(movies, at, english);
            await link(nomination(`comp-${i}`, withId), r.document.key);
            return r;
          }
          case 4:
            await new AnnouncementsRepository(view).markAnnounced(titleKey, `state-${i}`);
            return movies.upsertStub(withId, at);
          default:
            return new MovieMerger(view).merge(titleKey, imdbId, at);
        }
      });
      expect(results).toHaveLength(24);
      const stored = await all(db);
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        key: imdbId,
        imdbId,
        tmdbId,
        importType: 'full',
        aliasKeys: [titleKey],
      });
      expect(stored[0]?.merging).toBeUndefined();
      const linked = await db.collection(collectionNames.nominations).distinct('movieKey');
      expect(linked).toEqual([imdbId]);
      expect((await nominationsRepo.findByMovie(imdbId)).length).toBe(12);
      const open = await db
        .collection<ReviewItem>(collectionNames.reviewQueue)
        .find({ status: 'open' })
        .toArray();
      expect(open.filter((item) => item.movieKey !== imdbId)).toEqual([]);
    }
  }, 120_000);
});

describe('MoviesRepository: first writes of one film racing (4 instances)', () => {
  it('when the film is first written at once with and without its IMDb ID (TMDb by title, IMDb page, stubs), then one movie remains, whatever wins', async () => {
    for (let round = 0; round < 4; round += 1) {
      const { db, views } = await sharedStore(4, 'c-first');
      await race(views, 12, async (view, i) => {
        const movies = new MoviesRepository(view);
        const noms = new NominationsRepository(view);
        const at = new Date(t0.getTime() + i);
        const r =
          i % 3 === 0
            ? await byTitle(movies, at)
            : i % 3 === 1
              ? await byImdbPage(movies, at)
              : await movies.upsertStub(i % 2 === 0 ? withoutId : withId, at);
        await noms.record(nomination(`n-${i}`, i % 3 === 1 ? withId : withoutId), r.document.key, at);
        await new ReviewQueueRepository(view).open({
          movieKey: r.document.key,
          reason: 'all_sources_failed',
          now: at,
        });
      });
      const stored = await all(db);
      expect(stored.map((m) => [m.key, m.imdbId, m.tmdbId, m.importType])).toEqual([
        [imdbId, imdbId, tmdbId, 'full'],
      ]);
      expect(await db.collection(collectionNames.nominations).distinct('movieKey')).toEqual([imdbId]);
      const open = await db
        .collection<ReviewItem>(collectionNames.reviewQueue)
        .find({ status: 'open' })
        .toArray();
      expect(open.map((item) => item.movieKey)).toEqual([imdbId]);
    }
  }, 120_000);
});
