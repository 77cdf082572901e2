import { describe, expect, it } from 'vitest';
import { interpretOmdb } from '../../src/sources/omdb.js';
import { omdbToMovie, parseRatingValue, parseReleased, parseVotes } from '../../src/sources/omdb-mapper.js';
import { omdbMovieSchema } from '../../src/sources/omdb-schemas.js';
import { validateMovie } from '../../src/sources/normalized-movie-schema.js';
import { startTestTwin, twinFilm, twinWorld } from '../helpers/twin.js';
import { makeSource, queryOf } from './source-harness.js';

const sparse = {
  Title: 'Meteors',
  Year: '2025',
  Rated: 'N/A',
  Released: 'N/A',
  Runtime: 'N/A',
  Genre: 'Drama',
  Director: 'Hubert Charuel',
  Actors: 'N/A',
  Plot: 'N/A',
  Language: 'French',
  Country: 'France, Belgium',
  Poster: 'N/A',
  Ratings: [],
  imdbRating: 'N/A',
  imdbVotes: 'N/A',
  imdbID: 'tt33772384',
  Type: 'movie',
  Response: 'True',
};

describe('OMDb mapping', () => {
  it('when fields are "N/A", then they are absent or empty in the movie, and the movie is valid', () => {
    const movie = omdbToMovie(omdbMovieSchema.parse(sparse));
    expect(movie).toEqual({
      source: 'omdb',
      title: 'Meteors',
      alternativeTitles: [],
      year: 2025,
      titleType: 'movie',
      genres: ['Drama'],
      directors: ['Hubert Charuel'],
      cast: [],
      countries: ['France', 'Belgium'],
      languages: ['French'],
      ratings: [],
      externalIds: { imdbId: 'tt33772384' },
    });
    expect(validateMovie(movie).ok).toBe(true);
  });

  it('when ratings, votes with commas and a release date are given, then they are parsed to numbers and ISO', () => {
    const movie = omdbToMovie(
      omdbMovieSchema.parse({
        ...sparse,
        Released: '21 May 2025',
        Runtime: '132 min',
        imdbRating: '7.9',
        imdbVotes: '1,234,567',
        Ratings: [
          { Source: 'Internet Movie Database', Value: '7.9/10' },
          { Source: 'Rotten Tomatoes', Value: '96%' },
          { Source: 'Metacritic', Value: '81/100' },
        ],
      }),
    );
    expect(movie).toMatchObject({ releaseDate: '2025-05-21', runtimeMinutes: 132 });
    expect(movie.ratings).toEqual([
      { source: 'Internet Movie Database', value: 7.9, scale: 10, votes: 1234567 },
      { source: 'Rotten Tomatoes', value: 96, scale: 100 },
      { source: 'Metacritic', value: 81, scale: 100 },
    ]);
    expect([parseVotes('N/A'), parseVotes('12'), parseRatingValue('N/A'), parseReleased('N/A')]).toEqual([
      undefined,
      12,
      undefined,
      undefined,
    ]);
  });
});

describe('OMDb error branching (the body decides, not the status)', () => {
  const err = (Error: string) => ({ Response: 'False', Error });
  it.each([
    [200, err('Movie not found!'), 'miss'],
    [200, err('Incorrect IMDb ID.'), 'miss'],
    [401, err('Request limit reached!'), 'quota_exhausted'],
    [401, err('Invalid API key!'), 'auth_failed'],
    [401, err('No API key provided.'), 'auth_failed'],
    [401, undefined, 'invalid_response'],
    [503, undefined, 'transient'],
    [429, undefined, 'transient'],
    [200, undefined, 'invalid_response'],
    [200, { Response: 'True', Title: 'No imdbID' }, 'invalid_response'],
  ])('when OMDb answers %i with %j, then it means %s', (status, body, expected) => {
    const answer = interpretOmdb(status, {}, body, 'GET /');
    expect(answer.kind === 'failure' ? answer.failure.kind : answer.kind).toBe(expected);
  });

  it('when the daily quota is spent, then the next lookup is quota_exhausted, not a miss', async () => {
    const film = twinFilm();
    const twin = await startTestTwin({ world: twinWorld([film]), options: { omdb: { dailyQuota: 1 } } });
    const omdb = makeSource('omdb', twin);
    expect((await omdb.lookup(queryOf(film))).kind).toBe('found');
    const second = await omdb.lookup(queryOf(film));
    expect(second).toMatchObject({ kind: 'quota_exhausted', attempts: [{ status: 401, success: false }] });
  });
});

describe('OMDb adapter', () => {
  it('when the ID is unknown but the title and year match with the director, then one title call finds it, certain', async () => {
    const film = twinFilm({
      title: 'My Mom Jayne',
      directors: ['Mariska Hargitay'],
      festivalYear: 2025,
      releaseYear: 2025,
    });
    const twin = await startTestTwin({ world: twinWorld([film]) });
    const outcome = await makeSource('omdb', twin).lookup(queryOf(film, { imdbId: undefined }));
    expect(outcome).toMatchObject({
      kind: 'found',
      certain: true,
      strategy: 'title',
      movie: { externalIds: { imdbId: film.imdbId } },
    });
    expect(twin.counts()['omdb.byTitle']).toBe(1);
  });

  it('when a film released the year after its festival is looked up by title, then the year-less query finds it in one call', async () => {
    // OMDb's y= is the IMDb year, exact: y=2024 would miss this film.
    const film = twinFilm({ title: 'Late Bloomer', festivalYear: 2024, releaseYear: 2025 });
    const twin = await startTestTwin({ world: twinWorld([film]) });
    const outcome = await makeSource('omdb', twin).lookup(queryOf(film, { imdbId: undefined }));
    expect(outcome).toMatchObject({ kind: 'found', movie: { externalIds: { imdbId: film.imdbId } } });
    expect(outcome.attempts.map((a) => a.identifier)).toEqual(['Late Bloomer']);
  });

  it('when OMDb has no film of that title, then one year-less call settles it and neither the year nor the original title is asked', async () => {
    const film = twinFilm({ title: 'Nobody Knows Me', originalTitle: 'Personne', omdb: { present: false } });
    const twin = await startTestTwin({ world: twinWorld([film]) });
    const outcome = await makeSource('omdb', twin).lookup(queryOf(film, { imdbId: undefined }));
    expect(outcome.kind).toBe('not_found');
    expect(outcome.attempts.map((a) => a.identifier)).toEqual(['Nobody Knows Me']);
    expect(twin.counts()['omdb.byTitle']).toBe(1);
  });

  it('when the year-less query answers a more popular namesake of another year, then the nomination year is asked and finds the film', async () => {
    const film = twinFilm({
      title: 'Mother',
      festivalYear: 2023,
      releaseYear: 2023,
      rating: { value: 6, votes: 50 },
    });
    const namesake = twinFilm({
      title: 'Mother',
      festivalYear: null,
      releaseYear: 2009,
      directors: ['Someone Else'],
      rating: { value: 8, votes: 900_000 },
      decoy: true,
    });
    const twin = await startTestTwin({ world: twinWorld([film, namesake]) });
    const outcome = await makeSource('omdb', twin).lookup(queryOf(film, { imdbId: undefined }));
    expect(outcome).toMatchObject({
      kind: 'found',
      strategy: 'title_year',
      movie: { externalIds: { imdbId: film.imdbId } },
    });
    expect(outcome.attempts.map((a) => a.identifier)).toEqual(['Mother', 'Mother (2023)']);
  });

  it('when the namesake the year-less query answers is of the nomination year, then y= is not asked: it would answer the same film', async () => {
    const film = twinFilm({ title: 'Echo', festivalYear: 2023, releaseYear: 2023, omdb: { present: false } });
    const namesake = twinFilm({
      title: 'Echo',
      festivalYear: null,
      releaseYear: 2023,
      directors: ['Someone Else'],
      decoy: true,
    });
    const twin = await startTestTwin({ world: twinWorld([film, namesake]) });
    const outcome = await makeSource('omdb', twin).lookup(queryOf(film, { imdbId: undefined }));
    expect(outcome.kind === 'found' && outcome.certain).toBe(false);
    expect(twin.counts()['omdb.byTitle']).toBe(1);
  });

  it('when the nomination has an IMDb ID OMDb lacks, then one call by ID settles it and no title is asked', async () => {
    // A title hit could only carry another IMDb ID, which the matcher refuses: a call never worth paying.
    const namesake = twinFilm({ title: 'Alpha', releaseYear: 2025, festivalYear: 2025 });
    const twin = await startTestTwin({ world: twinWorld([namesake]) });
    const outcome = await makeSource('omdb', twin).lookup(queryOf(namesake, { imdbId: 'tt0999999' }));
    expect(outcome).toMatchObject({ kind: 'not_found', attempts: [{ strategy: 'imdb_id', success: true }] });
    expect(outcome.attempts).toHaveLength(1);
    expect(twin.counts()['omdb.byId']).toBe(1);
    expect(twin.counts()['omdb.byTitle'] ?? 0).toBe(0);
  });
});
