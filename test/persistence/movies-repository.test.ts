import { describe, expect, it } from 'vitest';
import { testDb } from '../helpers/mongo.js';
import { ensureIndexes } from '../../src/persistence/indexes.js';
import { MoviesRepository } from '../../src/persistence/movies-repository.js';
import type { FilmRef } from '../../src/persistence/movie-writes.js';
import type { NormalizedMovie, SourceName } from '../../src/domain/movie.js';

const t0 = new Date('2026-11-01T10:00:00Z');
const hour = 3600 * 1000;
const at = (ms: number): Date => new Date(t0.getTime() + ms);

function movie(source: SourceName, overrides: Partial<NormalizedMovie> = {}): NormalizedMovie {
  return {
    source,
    title: 'The Secret Agent',
    originalTitle: 'O Agente Secreto',
    alternativeTitles: [],
    year: 2025,
    genres: ['Thriller'],
    directors: ['Kleber Mendonça Filho'],
    cast: [],
    countries: ['BR'],
    languages: ['pt'],
    ratings: [],
    externalIds: { imdbId: 'tt27847051', tmdbId: 1220564 },
    ...overrides,
  };
}

const film: FilmRef = { imdbId: 'tt27847051', title: 'The Secret Agent', year: 2025 };

async function repo(): Promise<{ repo: MoviesRepository; db: Awaited<ReturnType<typeof testDb>>['db'] }> {
  const { db } = await testDb('movies');
  await ensureIndexes(db);
  return { repo: new MoviesRepository(db), db };
}

describe('MoviesRepository', () => {
  it('when the same resolved film is stored twice, then one document exists and the second call changes nothing', async () => {
    const { repo: r, db } = await repo();
    const first = await r.upsertResolved({
      film,
      movie: movie('tmdb'),
      importType: 'full',
      confidence: 0.97,
      sources: ['tmdb'],
      now: t0,
    });
    expect(first).toMatchObject({
      created: true,
      document: {
        key: 'tt27847051',
        importType: 'full',
        needsEnrichment: false,
        dataSourceHierarchy: ['tmdb'],
        tmdbId: 1220564,
      },
    });
    const again = await r.upsertResolved({
      film,
      movie: movie('tmdb'),
      importType: 'full',
      confidence: 0.97,
      sources: ['tmdb'],
      now: at(hour),
    });
    expect(again).toMatchObject({ created: false, upgraded: false, changed: false });
    expect(await db.collection('movies').countDocuments()).toBe(1);
    expect(await r.get('tt27847051')).toEqual({ ...first.document, _id: expect.anything() });
  });

  it('when a stub is later resolved by OMDb and then by TMDb, then it is upgraded stub → minimal → full with the sources in order', async () => {
    const { repo: r } = await repo();
    expect(await r.upsertStub(film, t0)).toMatchObject({
      created: true,
      document: { importType: 'stub', needsEnrichment: true, confidence: 0 },
    });
    const minimal = await r.upsertResolved({
      film,
      movie: movie('omdb', { externalIds: { imdbId: 'tt27847051' } }),
      importType: 'minimal',
      confidence: 0.8,
      sources: ['omdb'],
      now: at(hour),
    });
    expect(minimal).toMatchObject({
      upgraded: true,
      document: { importType: 'minimal', needsEnrichment: true },
    });
    const full = await r.upsertResolved({
      film,
      movie: movie('tmdb'),
      importType: 'full',
      confidence: 0.95,
      sources: ['tmdb'],
      now: at(2 * hour),
    });
    expect(full).toMatchObject({
      upgraded: true,
      document: {
        importType: 'full',
        needsEnrichment: false,
        dataSourceHierarchy: ['omdb', 'tmdb'],
        version: 3,
      },
    });
  });

  it('when a full record exists, then a minimal result or a stub never downgrades it', async () => {
    const { repo: r } = await repo();
    const full = await r.upsertResolved({
      film,
      movie: movie('tmdb'),
      importType: 'full',
      confidence: 0.95,
      sources: ['tmdb'],
      now: t0,
    });
    expect(
      await r.upsertResolved({
        film,
        movie: movie('omdb', { title: 'Other' }),
        importType: 'minimal',
        confidence: 1,
        sources: ['omdb'],
        now: at(hour),
      }),
    ).toMatchObject({ changed: false });
    expect(await r.upsertStub(film, at(hour))).toMatchObject({ changed: false });
    expect(await r.get('tt27847051')).toEqual({ ...full.document, _id: expect.anything() });
  });

  it('when a curator locked the title, then a better match does not overwrite it', async () => {
    const { repo: r, db } = await repo();
    await r.upsertResolved({
      film,
      movie: movie('omdb'),
      importType: 'minimal',
      confidence: 0.7,
      sources: ['omdb'],
      now: t0,
    });
    await db
      .collection('movies')
      .updateOne({ key: 'tt27847051' }, { $set: { title: 'O Agente Secreto (curated)', locked: ['title'] } });
    const upgraded = await r.upsertResolved({
      film,
      movie: movie('tmdb'),
      importType: 'full',
      confidence: 0.95,
      sources: ['tmdb'],
      now: at(hour),
    });
    expect(upgraded.document).toMatchObject({ importType: 'full', title: 'O Agente Secreto (curated)' });
  });

  it('when a curator locks the match, then enrichment results change nothing', async () => {
    const { repo: r } = await repo();
    await r.upsertStub(film, t0);
    await r.lockFields('tt27847051', { tmdbId: 42 }, t0);
    expect(
      await r.upsertResolved({
        film,
        movie: movie('tmdb'),
        importType: 'full',
        confidence: 0.99,
        sources: ['tmdb'],
        now: at(hour),
      }),
    ).toMatchObject({ changed: false, document: { tmdbId: 42, importType: 'stub' } });
  });

  it('when a film first arrives without an IMDb ID and later with one, then the same document is re-keyed and the old key kept as an alias', async () => {
    const { repo: r, db } = await repo();
    const noId: FilmRef = { imdbId: null, title: 'The Secret Agent', year: 2025 };
    const stub = await r.upsertStub(noId, t0);
    expect(stub.document.key).toBe('title:the secret agent:2025');
    const later = await r.upsertStub(film, at(hour));
    expect(later).toMatchObject({
      created: false,
      previousKey: 'title:the secret agent:2025',
      document: { key: 'tt27847051', imdbId: 'tt27847051', aliasKeys: ['title:the secret agent:2025'] },
    });
    expect(await db.collection('movies').countDocuments()).toBe(1);
    expect((await r.get('title:the secret agent:2025'))?.key).toBe('tt27847051');
    // The title-only nomination replayed afterwards lands on the same document.
    expect(await r.upsertStub(noId, at(2 * hour))).toMatchObject({
      changed: false,
      document: { key: 'tt27847051' },
    });
  });

  it('when a source finds the IMDb ID of a title-only nomination, then the movie is keyed by that IMDb ID', async () => {
    const { repo: r } = await repo();
    const result = await r.upsertResolved({
      film: { title: 'The Secret Agent', year: 2025 },
      movie: movie('tmdb'),
      importType: 'full',
      confidence: 0.9,
      sources: ['tmdb'],
      now: t0,
    });
    expect(result.document).toMatchObject({ key: 'tt27847051', imdbId: 'tt27847051' });
  });

  it('when two films without IMDb IDs are stored, then the sparse unique indexes let both exist', async () => {
    const { repo: r, db } = await repo();
    await r.upsertStub({ title: 'Film One', year: 2025 }, t0);
    await r.upsertStub({ title: 'Film Two', year: 2025 }, t0);
    expect(await db.collection('movies').countDocuments()).toBe(2);
  });

  it('when several writers store the same new film at once, then one document is created', async () => {
    const { repo: r, db } = await repo();
    const results = await Promise.all(Array.from({ length: 6 }, () => r.upsertStub(film, t0)));
    expect(results.filter((x) => x.created)).toHaveLength(1);
    expect(await db.collection('movies').countDocuments()).toBe(1);
  });

  it('when stubs of different ages were tried at different times, then findForEnrichment returns the due ones, least recently tried first', async () => {
    const { repo: r } = await repo();
    const now = new Date('2026-11-23T12:00:00Z');
    const ago = (ms: number): Date => new Date(now.getTime() - ms);
    const day = 24 * hour;
    await r.upsertStub({ imdbId: 'tt0000001', title: 'Young never tried', year: 2025 }, ago(2 * hour));
    await r.upsertStub({ imdbId: 'tt0000002', title: 'Young tried 30 min ago', year: 2025 }, ago(2 * hour));
    await r.markEnrichmentAttempt('tt0000002', ago(hour / 2));
    await r.upsertStub({ imdbId: 'tt0000003', title: 'Week-old tried 7 h ago', year: 2025 }, ago(3 * day));
    await r.markEnrichmentAttempt('tt0000003', ago(7 * hour));
    await r.upsertStub({ imdbId: 'tt0000004', title: 'Old tried 2 days ago', year: 2025 }, ago(60 * day));
    await r.markEnrichmentAttempt('tt0000004', ago(2 * day));
    await r.upsertStub({ imdbId: 'tt0000005', title: 'Old tried 8 days ago', year: 2025 }, ago(60 * day));
    await r.markEnrichmentAttempt('tt0000005', ago(8 * day));
    await r.upsertResolved({
      film: { imdbId: 'tt0000006', title: 'Full', year: 2025 },
      movie: movie('tmdb', { externalIds: { imdbId: 'tt0000006' } }),
      importType: 'full',
      confidence: 1,
      sources: ['tmdb'],
      now: ago(60 * day),
    });
    const due = await r.findForEnrichment({ now, limit: 10 });
    expect(due.map((m) => m.key)).toEqual(['tt0000001', 'tt0000005', 'tt0000003']);
    expect((await r.findForEnrichment({ now, limit: 1 })).map((m) => m.key)).toEqual(['tt0000001']);
  });
});
