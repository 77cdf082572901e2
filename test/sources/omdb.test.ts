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
  it('when the ID is unknown but the title and year match with the director, then the title hit is found and certain', async () => {
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
      strategy: 'title_year',
      movie: { externalIds: { imdbId: film.imdbId } },
    });
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
