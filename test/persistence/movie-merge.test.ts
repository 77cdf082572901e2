import { describe, expect, it } from 'vitest';
import type { NormalizedMovie } from '../../src/domain/movie.js';
import {
  contradicts,
  mergeMovie,
  mergeStoredMovies,
  survivorOf,
  type StoredMovie,
} from '../../src/persistence/movie-merge.js';

// The merge rules of two stored movies of one film, as pure code (no database).

const t0 = new Date('2026-11-01T10:00:00Z');
const later = new Date('2026-11-02T10:00:00Z');

function data(overrides: Partial<NormalizedMovie> = {}): NormalizedMovie {
  return {
    source: 'tmdb',
    title: 'La chimera',
    alternativeTitles: [],
    year: 2023,
    genres: ['Drama'],
    directors: ['Alice Rohrwacher'],
    cast: [],
    countries: ['IT'],
    languages: ['it'],
    ratings: [],
    externalIds: { tmdbId: 723056 },
    ...overrides,
  };
}

function stored(overrides: Partial<StoredMovie>): StoredMovie {
  return {
    key: 'title:la chimera:2023',
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
    ...overrides,
  };
}

/** A title-keyed movie TMDb resolved without an IMDb link. */
const titleKeyed = stored({
  tmdbId: 723056,
  importType: 'full',
  needsEnrichment: false,
  data: data(),
  dataSourceHierarchy: ['tmdb'],
  confidence: 0.92,
  titleKeys: ['title:la chimera:2023'],
  version: 3,
});

/** The same film under its IMDb ID, found on its IMDb page. */
const imdbKeyed = stored({
  key: 'tt14256034',
  imdbId: 'tt14256034',
  title: 'The Chimera',
  importType: 'full',
  needsEnrichment: false,
  data: data({ source: 'imdb', title: 'The Chimera', externalIds: { imdbId: 'tt14256034' } }),
  dataSourceHierarchy: ['imdb'],
  confidence: 0.98,
  titleKeys: ['title:the chimera:2023'],
  createdAt: later,
  version: 7,
  announcedStates: ['full:imdb'],
});

describe('survivorOf', () => {
  it('when one of two movies is IMDb-keyed, then it survives whichever comes first', () => {
    expect(survivorOf(titleKeyed, imdbKeyed).map((m) => m.key)).toEqual([
      'tt14256034',
      'title:la chimera:2023',
    ]);
    expect(survivorOf(imdbKeyed, titleKeyed).map((m) => m.key)).toEqual([
      'tt14256034',
      'title:la chimera:2023',
    ]);
  });

  it('when both are title-keyed, then the smaller key survives, whichever comes first', () => {
    const other = stored({ key: 'title:la chimere:2023' });
    expect(survivorOf(other, titleKeyed)[0].key).toBe('title:la chimera:2023');
    expect(survivorOf(titleKeyed, other)[0].key).toBe('title:la chimera:2023');
  });
});

describe('contradicts', () => {
  it('when two movies name different IMDb or TMDb IDs (stored or only in their data), then they are two films', () => {
    expect(contradicts(titleKeyed, imdbKeyed)).toBe(false);
    expect(contradicts(imdbKeyed, stored({ key: 'tt0000002', imdbId: 'tt0000002' }))).toBe(true);
    expect(contradicts(titleKeyed, stored({ data: data({ externalIds: { tmdbId: 1 } }) }))).toBe(true);
    expect(contradicts(titleKeyed, stored({ merging: { from: ['x'], tmdbId: 2 } }))).toBe(true);
    expect(contradicts(titleKeyed, stored({}))).toBe(false);
  });
});

describe('mergeStoredMovies', () => {
  it('when a title-keyed TMDb movie and the IMDb-keyed movie are merged, then the survivor keeps its key, both IDs, the better data and the other key as alias and replaced key', () => {
    const merged = mergeStoredMovies(imdbKeyed, titleKeyed, later);
    expect(merged).toMatchObject({
      key: 'tt14256034',
      imdbId: 'tt14256034',
      tmdbId: 723056,
      importType: 'full',
      needsEnrichment: false,
      // Same import type: the higher confidence (the IMDb page's) gives the data.
      confidence: 0.98,
      title: 'The Chimera',
      dataSourceHierarchy: ['imdb', 'tmdb'],
      aliasKeys: ['title:la chimera:2023'],
      replacesKeys: ['title:la chimera:2023'],
      titleKeys: ['title:the chimera:2023', 'title:la chimera:2023'],
      createdAt: t0,
      updatedAt: later,
      version: 7,
      announcedStates: ['full:imdb'],
    });
    expect(merged.data?.source).toBe('imdb');
    expect(merged.nextEnrichmentAt).toBeUndefined();
  });

  it('when the survivor is a stub and the loser full, then nothing is downgraded: the loser gives the data', () => {
    const stub = stored({ key: 'tt14256034', imdbId: 'tt14256034', nextEnrichmentAt: t0 });
    const merged = mergeStoredMovies(stub, titleKeyed, later);
    expect(merged).toMatchObject({
      key: 'tt14256034',
      imdbId: 'tt14256034',
      tmdbId: 723056,
      importType: 'full',
      needsEnrichment: false,
      confidence: 0.92,
      dataSourceHierarchy: ['tmdb'],
    });
    expect(merged.nextEnrichmentAt).toBeUndefined();
  });

  it('when two stubs are merged, then the earlier due enrichment and the later attempt are kept', () => {
    const a = stored({
      key: 'tt14256034',
      imdbId: 'tt14256034',
      nextEnrichmentAt: later,
      lastEnrichmentAttempt: t0,
    });
    const b = stored({
      nextEnrichmentAt: t0,
      lastEnrichmentAttempt: later,
      aliasKeys: ['title:chimera:2023'],
    });
    const merged = mergeStoredMovies(a, b, later);
    expect(merged).toMatchObject({
      importType: 'stub',
      needsEnrichment: true,
      nextEnrichmentAt: t0,
      lastEnrichmentAttempt: later,
      aliasKeys: ['title:la chimera:2023', 'title:chimera:2023'],
    });
  });

  it('when a curator locked fields of the loser, then the locks and their values hold in the survivor', () => {
    const loser = {
      ...titleKeyed,
      title: 'La Chimera (curated)',
      locked: ['title', 'directors', 'match'] as StoredMovie['locked'],
      data: data({ directors: ['A. Rohrwacher'] }),
      confidence: 1,
    };
    const merged = mergeStoredMovies(imdbKeyed, loser, later);
    expect(merged.locked).toEqual(['title', 'directors', 'match']);
    expect(merged.title).toBe('La Chimera (curated)');
    expect(merged.data?.directors).toEqual(['A. Rohrwacher']);
    // The curator's confirmed match wins at the same import type, whatever the confidence.
    expect(merged.data?.source).toBe('tmdb');
  });

  it('when both locked the same field with different values, then the survivor’s value wins', () => {
    const survivor = {
      ...imdbKeyed,
      title: 'The Chimera (survivor)',
      locked: ['title'] as StoredMovie['locked'],
    };
    const loser = {
      ...titleKeyed,
      title: 'La chimera (loser)',
      locked: ['title', 'year'] as StoredMovie['locked'],
      year: 2024,
    };
    const merged = mergeStoredMovies(survivor, loser, later);
    expect(merged.title).toBe('The Chimera (survivor)');
    expect(merged.year).toBe(2024);
    expect(merged.locked).toEqual(['title', 'year']);
  });

  it('when a curator confirmed a stub’s match and the other is full, then the full data is kept (never a downgrade) and the match stays locked', () => {
    const curatedStub = stored({ key: 'tt14256034', imdbId: 'tt14256034', locked: ['match', 'imdbId'] });
    const merged = mergeStoredMovies(curatedStub, titleKeyed, later);
    expect(merged).toMatchObject({ importType: 'full', tmdbId: 723056, locked: ['match', 'imdbId'] });
  });

  it('when the result of a merge is merged again with the same loser, then nothing changes but the time', () => {
    const once = mergeStoredMovies(imdbKeyed, titleKeyed, later);
    const twice = mergeStoredMovies(once, titleKeyed, later);
    expect(twice).toEqual(once);
  });
});

describe('mergeMovie (a write into a stored movie)', () => {
  it('when a title-keyed movie is re-keyed to its IMDb ID, then the old key is an alias and named as replaced, and the title key is recorded', () => {
    const { document } = mergeMovie(
      titleKeyed,
      {
        key: 'tt14256034',
        imdbId: 'tt14256034',
        tmdbId: 723056,
        title: 'La chimera',
        importType: 'full',
        confidence: 0.95,
        sources: ['tmdb'],
        titleKey: 'title:la chimera:2023',
      },
      later,
    );
    expect(document).toMatchObject({
      key: 'tt14256034',
      aliasKeys: ['title:la chimera:2023'],
      replacesKeys: ['title:la chimera:2023'],
      titleKeys: ['title:la chimera:2023'],
    });
  });
});
