/**
 * The movie, nomination, announcement and cache contracts on the real server: one natural
 * key makes one document however many instances write it at once, and each write is
 * idempotent.
 */
import { describe, expect, it } from 'vitest';
import type { NormalizedMovie } from '../../src/domain/movie.js';
import type { Nomination } from '../../src/domain/nomination.js';
import { AnnouncementsRepository } from '../../src/persistence/announcements-repository.js';
import { LookupCache } from '../../src/persistence/lookup-cache.js';
import { MoviesRepository } from '../../src/persistence/movies-repository.js';
import { NominationsRepository } from '../../src/persistence/nominations-repository.js';
import { ReviewQueueRepository } from '../../src/persistence/review-queue-repository.js';
import { race, sharedStore } from './store-fixture.js';

const now = new Date('2026-11-23T12:00:00Z');
const film = { imdbId: 'tt27847051', title: 'The Secret Agent', year: 2025 };
const found: NormalizedMovie = {
  source: 'tmdb',
  title: 'The Secret Agent',
  originalTitle: 'O Agente Secreto',
  alternativeTitles: [],
  year: 2025,
  genres: [],
  directors: ['Kleber Mendonça Filho'],
  cast: [],
  countries: ['BR'],
  languages: ['pt'],
  ratings: [],
  externalIds: { imdbId: 'tt27847051', tmdbId: 1220564 },
};
const nomination: Nomination = {
  nominationId: 'cannes_2025:competition:tt27847051',
  festival: 'cannes_2025',
  editionYear: 2025,
  category: 'competition',
  film: { ...film, originalTitle: null, directors: ['Kleber Mendonça Filho'] },
  people: [],
  won: false,
  critical: false,
  producedAt: 1,
};

describe('natural-key upserts contract', () => {
  it('when 20 upserts of one film race from 4 instances, then one movie document exists, created once', async () => {
    const { db, views } = await sharedStore(4, 'c-movies');
    const repos = views.map((view) => new MoviesRepository(view));
    const results = await race(views, 20, (_db, i) =>
      i % 2 === 0
        ? repos[i % repos.length]!.upsertStub(film, now)
        : repos[i % repos.length]!.upsertResolved({
            film,
            movie: found,
            importType: 'full',
            confidence: 0.95,
            sources: ['tmdb'],
            now,
          }),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await db.collection('movies').countDocuments({})).toBe(1);
    // Whatever the order, the full record won (a stub never downgrades it).
    expect(await db.collection('movies').findOne({ key: 'tt27847051' })).toMatchObject({
      importType: 'full',
    });
  });

  it('when 20 records of one nomination race from 4 instances, then one nomination document exists, created once', async () => {
    const { db, views } = await sharedStore(4, 'c-nominations');
    const repos = views.map((view) => new NominationsRepository(view));
    const results = await race(views, 20, (_db, i) =>
      repos[i % repos.length]!.record(nomination, 'tt27847051', now),
    );
    expect(results.filter((r) => r.kind === 'created')).toHaveLength(1);
    expect(await db.collection('nominations').countDocuments({})).toBe(1);
  });

  it('when announcements and upgrades of one movie race, then every announced state survives on the movie', async () => {
    const { db, views } = await sharedStore(3, 'c-announce');
    const movies = views.map((view) => new MoviesRepository(view));
    const announcements = views.map((view) => new AnnouncementsRepository(view));
    await movies[0]!.upsertStub(film, now);
    await race(views, 12, (_db, i) =>
      i % 3 === 0
        ? announcements[i % 3]!.markAnnounced('tt27847051', `state-${i}`)
        : movies[i % 3]!.upsertResolved({
            film,
            movie: { ...found, title: `Title ${i}` },
            importType: i % 3 === 1 ? 'minimal' : 'full',
            confidence: 0.5 + i / 100,
            sources: ['tmdb'],
            now,
          }).then(() => undefined),
    );
    for (const state of ['state-0', 'state-3', 'state-6', 'state-9']) {
      expect(await announcements[1]!.isAnnounced('tt27847051', state), state).toBe(true);
    }
    expect(await announcements[1]!.isAnnounced('tt27847051', 'state-1')).toBe(false);
    expect(await db.collection('movies').countDocuments({})).toBe(1);
  });

  it('when 20 stores of one lookup race from 4 instances, then one cache entry exists and it holds one of the stored results', async () => {
    const { db, views } = await sharedStore(4, 'c-cache');
    const caches = views.map(
      (view) => new LookupCache(view, { hitTtlDays: 90, missTtlHours: 24, blockedTtlHours: 6 }),
    );
    await race(views, 20, (_db, i) =>
      caches[i % caches.length]!.set(
        'omdb',
        'tt27847051',
        i % 2 === 0 ? { kind: 'found', value: { n: i } } : { kind: 'not_found' },
        now,
      ),
    );
    expect(await db.collection('lookup_cache').countDocuments({})).toBe(1);
    const entry = await caches[0]!.get<{ n: number }>('omdb', 'tt27847051', now);
    expect(entry === null ? 'none' : entry.kind).not.toBe('none');
    if (entry?.kind === 'not_found') expect(entry.value).toBeUndefined();
  });

  it('when 10 instances open a review item for one film at once, then exactly one open item exists', async () => {
    const { db, views } = await sharedStore(4, 'c-review');
    const repos = views.map((view) => new ReviewQueueRepository(view));
    const results = await race(views, 10, (_db, i) =>
      repos[i % repos.length]!.open({
        movieKey: 'tt27847051',
        reason: 'low_confidence',
        candidates: [],
        nominationIds: [`n${i}`],
        now,
      }),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await db.collection('review_queue').countDocuments({ status: 'open' })).toBe(1);
  });
});
