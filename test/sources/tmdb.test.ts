import { describe, expect, it } from 'vitest';
import { withRetry } from '../../src/sources/retry.js';
import { planSearches } from '../../src/sources/tmdb-strategies.js';
import { startTestTwin, twinFilm, twinWorld } from '../helpers/twin.js';
import { makeSource, queryOf } from './source-harness.js';

describe('TMDb search plan', () => {
  it('when the nomination has a year and an original title, then year-less searches come first and year-filtered ones wait for a truncated page', () => {
    const plan = planSearches({
      title: 'The Girls We Want',
      originalTitle: 'Les Filles désirées',
      year: 2025,
      directors: [],
    });
    expect(plan.map((s) => s.name)).toEqual([
      'title',
      'title_year',
      'original_title',
      'original_title_year',
      'year_plus_one',
      'year_minus_one',
      'normalised_title',
    ]);
    // A year filter narrows the year-less answer: it can only add a film when that answer was cut.
    expect(plan.filter((s) => s.onlyIfTruncated).map((s) => [s.name, s.onlyIfTruncated])).toEqual([
      ['title_year', 'title'],
      ['original_title_year', 'original_title'],
      ['year_plus_one', 'title'],
      ['year_minus_one', 'title'],
    ]);
  });

  it('when normalising only folds accents, case and punctuation, then no normalised search is planned: TMDb reads the title that way', () => {
    const names = (title: string) => planSearches({ title, directors: [] }).map((s) => s.name);
    expect(names('Marouf, the Cairo Cobbler')).toEqual(['title']);
    expect(names('Camões')).toEqual(['title']);
    // A dropped article or a number written out is another query.
    expect(names('The Lost Weekend')).toEqual(['title', 'normalised_title']);
    expect(names('Part Two')).toEqual(['title', 'normalised_title']);
  });

  it('when the original title is the title and normalising changes nothing, then no query is asked twice', () => {
    const plan = planSearches({ title: 'Alpha', originalTitle: 'alpha', directors: [] });
    expect(plan.map((s) => s.name)).toEqual(['title']);
  });
});

describe('TMDb adapter', () => {
  it('when find by IMDb ID misses but the title search hits, then it is found in three calls with the record and its directors', async () => {
    const film = twinFilm({
      title: 'Sentimental Value',
      originalTitle: 'Affeksjonsverdi',
      directors: ['Joachim Trier'],
      festivalYear: 2025,
      releaseYear: 2025,
      tmdb: { imdbLinked: false },
    });
    const twin = await startTestTwin({ world: twinWorld([film, twinFilm({ title: 'Value' })]) });
    const outcome = await makeSource('tmdb', twin).lookup(queryOf(film));
    expect(outcome).toMatchObject({
      kind: 'found',
      certain: true,
      strategy: 'title',
      movie: { externalIds: { tmdbId: film.tmdbId }, directors: ['Joachim Trier'] },
    });
    // No IMDb link on TMDb's record: the movie must not invent one.
    expect(outcome.kind === 'found' && outcome.movie.externalIds.imdbId).toBeUndefined();
    expect(twin.counts()).toMatchObject({ 'tmdb.find': 1, 'tmdb.search': 1, 'tmdb.movie': 1 });
  });

  it('when TMDb knows the film only under its original title, then the original-title search finds it', async () => {
    const film = twinFilm({
      title: 'The Girls We Want',
      originalTitle: 'Les Filles désirées',
      directors: ['Prïncia Car'],
      tmdb: { imdbLinked: false, title: 'Les Filles désirées' },
    });
    const twin = await startTestTwin({ world: twinWorld([film]) });
    const outcome = await makeSource('tmdb', twin).lookup(queryOf(film));
    expect(outcome).toMatchObject({ kind: 'found', certain: true, strategy: 'original_title' });
    expect(twin.counts()).toMatchObject({ 'tmdb.search': 2, 'tmdb.movie': 1 });
  });

  it('when the title search lists only a namesake of another year and the original-title search lists the film, then only the film gets a details call', async () => {
    const film = twinFilm({
      title: 'The Cranes Are Flying',
      originalTitle: 'Letyat zhuravli',
      directors: ['Mikhail Kalatozov'],
      festivalYear: 1958,
      releaseYear: 1958,
      tmdb: { imdbLinked: false, title: 'Letyat zhuravli' },
    });
    const namesake = twinFilm({
      title: 'The Cranes Are Flying',
      directors: ['Someone Else'],
      festivalYear: null,
      releaseYear: 1948,
      decoy: true,
    });
    const twin = await startTestTwin({ world: twinWorld([film, namesake]) });
    const outcome = await makeSource('tmdb', twin).lookup(queryOf(film));
    expect(outcome).toMatchObject({ kind: 'found', certain: true, strategy: 'original_title' });
    // Its own year is ten years off: its details wait for the next search, which lists the film.
    expect(outcome.attempts.filter((a) => a.operation === 'details').map((a) => a.identifier)).toEqual([
      String(film.tmdbId),
    ]);
  });

  it('when a namesake two years off and the film without a release date tie on what the search shows, then the film is fetched first', async () => {
    const film = twinFilm({
      title: 'Dedicatoria',
      directors: ['Jaime Chávarri'],
      festivalYear: 1980,
      releaseYear: 1980,
      rating: { value: 6, votes: 20 },
      tmdb: { imdbLinked: false, releaseDate: '' },
    });
    const namesake = twinFilm({
      title: 'Dedicatoria',
      directors: ['Someone Else'],
      festivalYear: null,
      releaseYear: 1982,
      rating: { value: 8, votes: 400_000 },
      decoy: true,
    });
    const twin = await startTestTwin({ world: twinWorld([film, namesake]) });
    const outcome = await makeSource('tmdb', twin).lookup(queryOf(film));
    expect(outcome).toMatchObject({
      kind: 'found',
      certain: true,
      movie: { externalIds: { tmdbId: film.tmdbId } },
    });
    // An unknown year may still be the nomination's; a known one two years off may not.
    expect(twin.counts()['tmdb.movie']).toBe(1);
  });

  it('when the nomination year matches no release date, then the year-less search, asked first, finds the film a year off in one search', async () => {
    const film = twinFilm({
      title: 'Meteors',
      directors: ['Hubert Charuel'],
      festivalYear: null,
      releaseYear: 2025,
      tmdb: { imdbLinked: false, releaseDate: '2025-10-01' },
    });
    const twin = await startTestTwin({ world: twinWorld([film]) });
    const outcome = await makeSource('tmdb', twin).lookup(queryOf(film, { year: 2024 }));
    expect(outcome).toMatchObject({ kind: 'found', strategy: 'title', movie: { year: 2025 } });
    expect(twin.counts()['tmdb.search']).toBe(1);
  });

  it('when the year-less search is cut at one page, then the year-filtered search is asked and finds the film', async () => {
    const namesakes = Array.from({ length: 24 }, (_, i) =>
      twinFilm({
        title: 'Alpha',
        releaseYear: 1990 + i,
        festivalYear: null,
        rating: { value: 7, votes: 500_000 - i },
        tmdb: { imdbLinked: false },
      }),
    );
    const film = twinFilm({
      title: 'Alpha',
      directors: ['Julia Ducournau'],
      releaseYear: 2025,
      festivalYear: 2025,
      rating: { value: 6, votes: 10 },
      tmdb: { imdbLinked: false },
    });
    const twin = await startTestTwin({ world: twinWorld([...namesakes, film]) });
    const outcome = await makeSource('tmdb', twin).lookup(queryOf(film));
    expect(outcome).toMatchObject({ kind: 'found', movie: { externalIds: { tmdbId: film.tmdbId } } });
    expect(outcome.attempts.filter((a) => a.operation === 'search').map((a) => a.strategy)).toEqual([
      'title',
      'title_year',
    ]);
  });

  it('when TMDb already answered titles equal to the normalised query, then the normalised search is not asked; when it answered nothing, it is', async () => {
    const namesake = twinFilm({
      title: 'Foxes',
      releaseYear: 1980,
      festivalYear: null,
      tmdb: { imdbLinked: false },
    });
    const twin = await startTestTwin({ world: twinWorld([namesake]) });
    const tmdb = makeSource('tmdb', twin);
    const searches = async (title: string) =>
      (await tmdb.lookup({ imdbId: 'tt0999998', title, year: 2025, directors: ['Nobody'] })).attempts
        .filter((a) => a.operation === 'search')
        .map((a) => a.strategy);
    expect(await searches('Foxes!')).toEqual(['title']);
    expect(await searches('The Wolves!')).toEqual(['title', 'normalised_title']);
  });

  it('when a title match carries another IMDb ID than the nomination, then it is rejected and the film is not found', async () => {
    const namesake = twinFilm({
      title: 'Alpha',
      directors: ['Julia Ducournau'],
      releaseYear: 2025,
      festivalYear: 2025,
    });
    const twin = await startTestTwin({ world: twinWorld([namesake]) });
    const outcome = await makeSource('tmdb', twin).lookup(queryOf(namesake, { imdbId: 'tt0999999' }));
    expect(outcome.kind).toBe('not_found');
    expect(outcome.kind === 'not_found' && outcome.candidates).toContainEqual(
      expect.objectContaining({
        id: String(namesake.tmdbId),
        confidence: 0,
        rejectedBecause: expect.any(String),
      }),
    );
    expect(twin.counts()['tmdb.movie']).toBeGreaterThanOrEqual(1);
  });

  it('when the search fails after find answered, then the lookup is transient with both attempts, never not_found', async () => {
    const film = twinFilm({ tmdb: { imdbLinked: false } });
    const twin = await startTestTwin({
      world: twinWorld([film]),
      options: { tmdb: { rateLimit: { requests: 1, windowMs: 60_000, retryAfter: 'never' } } },
    });
    const outcome = await makeSource('tmdb', twin).lookup(queryOf(film));
    expect(outcome).toMatchObject({ kind: 'transient', status: 429 });
    expect(outcome.attempts.map((a) => [a.operation, a.success])).toEqual([
      ['find', true],
      ['search', false],
    ]);
  });

  it('when a lookup is retried after its last request was rate limited, then what already answered is not asked again', async () => {
    const film = twinFilm({ tmdb: { imdbLinked: false } });
    // One request a second: the first window admits find and refuses search (Retry-After 1 s),
    // so the retry succeeds only if it spends its window on the search alone.
    const twin = await startTestTwin({
      world: twinWorld([film]),
      options: { tmdb: { rateLimit: { requests: 1, windowMs: 1000, retryAfter: 'always' } } },
    });
    const source = withRetry(makeSource('tmdb', twin), { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 2000 });
    const outcome = await source.lookup(queryOf(film));
    expect(outcome).toMatchObject({ kind: 'found' });
    expect(twin.counts()['tmdb.find']).toBe(1);
    expect(outcome.attempts.filter((a) => a.operation === 'find')).toHaveLength(1);
  });

  it('when TMDb is down for a title-only lookup, then every failure flavour is transient', async () => {
    const film = twinFilm();
    const twin = await startTestTwin({
      world: twinWorld([film]),
      options: { seed: 3, tmdb: { errorRate: 1 } },
    });
    const source = makeSource('tmdb', twin);
    const kinds = new Set<string>();
    for (let i = 0; i < 6; i++) kinds.add((await source.lookup(queryOf(film, { imdbId: undefined }))).kind);
    twin.setOptions({ tmdb: { errorRate: 0, outage: { startsAt: 0, endsAt: null } } });
    kinds.add((await source.lookup(queryOf(film))).kind);
    expect([...kinds]).toEqual(['transient']);
  });

  it('when authenticating with an api_key instead of a token, then the lookup works the same', async () => {
    const film = twinFilm();
    const twin = await startTestTwin({ world: twinWorld([film]) });
    const outcome = await makeSource('tmdb', twin, { tmdbApiKey: true }).lookup(queryOf(film));
    expect(outcome).toMatchObject({ kind: 'found', certain: true });
  });
});
