import { describe, expect, it } from 'vitest';
import { imdbTitleUrl, zyteFailure } from '../../src/sources/imdb-zyte.js';
import { startTestTwin, twinFilm, twinWorld } from '../helpers/twin.js';
import { makeSource, queryOf } from './source-harness.js';

describe('IMDb through Zyte', () => {
  it('when an ID is not tt and 7 to 10 digits, then no URL is built and no request is made', async () => {
    expect(imdbTitleUrl('tt0038297')).toBe('https://www.imdb.com/title/tt0038297/');
    for (const bad of [
      'tt123',
      'tt12345678901',
      'nm0000001',
      'tt0038297/../../x',
      'tt0038297?x=1',
      ' tt0038297',
    ])
      expect(imdbTitleUrl(bad)).toBeUndefined();
    const twin = await startTestTwin({ world: twinWorld([twinFilm()]) });
    const outcome = await makeSource('imdb', twin).lookupByImdbId('tt123/../../evil', {
      title: 'x',
      directors: [],
    });
    expect(outcome).toMatchObject({ kind: 'not_found', attempts: [] });
    expect(twin.counts()['zyte.extract']).toBe(0);
  });

  it.each([
    [429, 'transient'],
    [503, 'transient'],
    [520, 'transient'],
    [521, 'transient'],
    [401, 'auth_failed'],
    [403, 'quota_exhausted'],
    [451, 'invalid_response'],
    [422, 'invalid_response'],
    [400, 'invalid_response'],
  ])('when Zyte answers %i, then the outcome kind is %s', (status, kind) => {
    const body = { type: '/x', title: 'T', status, detail: 'd' };
    expect(zyteFailure(status, {}, body, 'POST /extract').kind).toBe(kind);
  });

  it('when the spending limit is reached, then the tier reports quota_exhausted and nothing more is charged', async () => {
    const film = twinFilm();
    const twin = await startTestTwin({
      world: twinWorld([film]),
      options: { zyte: { spendingLimitRequests: 1 } },
    });
    const imdb = makeSource('imdb', twin);
    expect((await imdb.lookup(queryOf(film))).kind).toBe('found');
    const second = await imdb.lookup(queryOf(film));
    expect(second).toMatchObject({ kind: 'quota_exhausted', attempts: [{ status: 403, costUsd: 0 }] });
    expect(twin.counts()['zyte.charged']).toBe(1);
  });

  it('when Zyte has an internal error (521), then it is transient and not charged', async () => {
    const film = twinFilm();
    const twin = await startTestTwin({
      world: twinWorld([film]),
      options: { zyte: { internalErrorRate: 1 } },
    });
    const outcome = await makeSource('imdb', twin).lookup(queryOf(film));
    expect(outcome).toMatchObject({ kind: 'transient', status: 521, attempts: [{ costUsd: 0 }] });
  });

  it('when the page is fetched, then the movie is a full record with cast, genres and the IMDb rating', async () => {
    const film = twinFilm({
      title: 'Parasite',
      originalTitle: 'Gisaengchung',
      directors: ['Bong Joon Ho'],
      countries: ['KR'],
      languages: ['ko'],
    });
    const twin = await startTestTwin({ world: twinWorld([film]) });
    const outcome = await makeSource('imdb', twin).lookup(queryOf(film));
    expect(outcome).toMatchObject({
      kind: 'found',
      certain: true,
      movie: {
        source: 'imdb',
        title: 'Parasite',
        originalTitle: 'Gisaengchung',
        directors: ['Bong Joon Ho'],
        countries: ['KR'],
        languages: ['ko'],
        ratings: [{ source: 'imdb', value: 7.1, scale: 10, votes: 12345 }],
      },
      attempts: [{ operation: 'extract', identifier: film.imdbId, costUsd: 0.02, success: true }],
    });
    expect(outcome.kind === 'found' && outcome.movie.cast.length).toBeGreaterThan(0);
  });
});
