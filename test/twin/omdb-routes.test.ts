import { describe, expect, it } from 'vitest';
import { startTestTwin, twinFilm, twinWorld } from '../helpers/twin.js';

async function get(url: string): Promise<{ status: number; body: ReturnType<typeof JSON.parse> }> {
  const res = await fetch(url);
  return { status: res.status, body: JSON.parse(await res.text()) };
}

describe('twin OMDb routes', () => {
  it('when a film is fetched by IMDb ID, then every field is a string, missing ones "N/A", votes with commas', async () => {
    const film = twinFilm({
      title: 'Sentimental Value',
      rating: { value: 7.94, votes: 1234567 },
      cast: ['A', 'B', 'C', 'D'],
    });
    const twin = await startTestTwin({ world: twinWorld([film]) });
    const { status, body } = await get(
      `${twin.urls.omdb}?apikey=${twin.keys.omdbKey}&i=${film.imdbId}&plot=full`,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      Title: 'Sentimental Value',
      Year: '2023',
      Runtime: '108 min',
      Director: 'Ada Director',
      Actors: 'A, B, C',
      Language: 'French',
      Country: 'France',
      imdbRating: '7.9',
      imdbVotes: '1,234,567',
      imdbID: film.imdbId,
      Type: 'movie',
      Writer: 'N/A',
      Response: 'True',
    });
    expect(body.Ratings).toEqual([{ Source: 'Internet Movie Database', Value: '7.9/10' }]);
    for (const [key, value] of Object.entries(body as Record<string, unknown>))
      if (key !== 'Ratings') expect(typeof value, key).toBe('string');
    expect(twin.counts()['omdb.byId']).toBe(1);
  });

  it('when searched by title and year, then the film comes back; a short plot is its first sentence', async () => {
    const film = twinFilm({ title: 'Alpha', originalTitle: 'Alpha', releaseYear: 2025 });
    const twin = await startTestTwin({ world: twinWorld([film]) });
    const { body } = await get(
      `${twin.urls.omdb}?apikey=${twin.keys.omdbKey}&t=alpha&y=2025&type=movie&plot=short`,
    );
    expect(body).toMatchObject({ imdbID: film.imdbId, Plot: 'A woman returns to her village.' });
    expect(twin.counts()['omdb.byTitle']).toBe(1);
  });

  it('when the film is unknown, then HTTP 200 with Response "False" and the real error texts', async () => {
    const absent = twinFilm({ omdb: { present: false } });
    const twin = await startTestTwin({ world: twinWorld([absent]) });
    expect(await get(`${twin.urls.omdb}?apikey=${twin.keys.omdbKey}&t=nothing&y=2020`)).toEqual({
      status: 200,
      body: { Response: 'False', Error: 'Movie not found!' },
    });
    expect(await get(`${twin.urls.omdb}?apikey=${twin.keys.omdbKey}&i=tt12`)).toEqual({
      status: 200,
      body: { Response: 'False', Error: 'Incorrect IMDb ID.' },
    });
    expect(
      (await get(`${twin.urls.omdb}?apikey=${twin.keys.omdbKey}&i=${absent.imdbId}`)).body.Response,
    ).toBe('False');
  });

  it('when the key is wrong, then HTTP 401 "Invalid API key!"', async () => {
    const twin = await startTestTwin();
    expect(await get(`${twin.urls.omdb}?apikey=nope&i=tt0000001`)).toEqual({
      status: 401,
      body: { Response: 'False', Error: 'Invalid API key!' },
    });
  });

  it('when the daily quota is used up, then HTTP 401 "Request limit reached!"', async () => {
    const film = twinFilm();
    const twin = await startTestTwin({ world: twinWorld([film]), options: { omdb: { dailyQuota: 2 } } });
    const url = `${twin.urls.omdb}?apikey=${twin.keys.omdbKey}&i=${film.imdbId}`;
    expect((await get(url)).status).toBe(200);
    expect((await get(url)).status).toBe(200);
    expect(await get(url)).toEqual({
      status: 401,
      body: { Response: 'False', Error: 'Request limit reached!' },
    });
  });
});
