import { describe, expect, it } from 'vitest';
import { startTestTwin, twinFilm, twinWorld } from '../helpers/twin.js';

describe('twin behaviour knobs', () => {
  it('when TMDb is over its rate limit, then 429 with status_code 25, then success once the window passes', async () => {
    const film = twinFilm();
    const twin = await startTestTwin({
      world: twinWorld([film]),
      options: { tmdb: { rateLimit: { requests: 2, windowMs: 300, retryAfter: 'always' } } },
    });
    const url = `${twin.urls.tmdb}/movie/${film.tmdbId}?api_key=${twin.keys.tmdbApiKey}`;
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(url)).status);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await fetch(url);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await limited.json()).toMatchObject({ success: false, status_code: 25 });
    await new Promise((r) => setTimeout(r, 350));
    expect((await fetch(url)).status).toBe(200);
    expect(twin.counts()['tmdb.movie']).toBe(5);
  });

  it('when an outage window is open, then TMDb answers 503 code 46 until it is closed', async () => {
    const twin = await startTestTwin({
      world: twinWorld([twinFilm()]),
      options: { tmdb: { outage: { endsAt: null } } },
    });
    const url = `${twin.urls.tmdb}/search/movie?query=twin&api_key=${twin.keys.tmdbApiKey}`;
    const down = await fetch(url);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      success: false,
      status_code: 46,
      status_message: 'The API is undergoing maintenance. Try again later.',
    });
    twin.setOptions({ tmdb: { outage: null } });
    expect((await fetch(url)).status).toBe(200);
  });

  it('when an outage window has ended, then the service answers again', async () => {
    const now = Date.now();
    const twin = await startTestTwin({
      options: { omdb: { outage: { startsAt: now - 2000, endsAt: now - 1000 } } },
    });
    expect((await fetch(`${twin.urls.omdb}?apikey=${twin.keys.omdbKey}&t=x`)).status).toBe(200);
  });

  it('when error rates are set with a seed, then the same seed fails the same requests', async () => {
    const run = async () => {
      const twin = await startTestTwin({
        world: twinWorld([twinFilm()]),
        options: { seed: 42, tmdb: { errorRate: 0.5 } },
      });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++)
        statuses.push(
          (await fetch(`${twin.urls.tmdb}/search/movie?query=twin&api_key=${twin.keys.tmdbApiKey}`)).status,
        );
      await twin.close();
      return statuses;
    };
    const first = await run();
    expect(first.some((s) => s >= 500)).toBe(true);
    expect(first.some((s) => s === 200)).toBe(true);
    expect(await run()).toEqual(first);
  });

  it('when malformed bodies are switched on, then a 200 body is cut JSON', async () => {
    const film = twinFilm();
    const twin = await startTestTwin({ world: twinWorld([film]), options: { omdb: { malformedRate: 1 } } });
    const res = await fetch(`${twin.urls.omdb}?apikey=${twin.keys.omdbKey}&i=${film.imdbId}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(() => {
      JSON.parse(text);
    }).toThrow();
  });

  it('when a request hangs longer than the client waits, then the client times out', async () => {
    const twin = await startTestTwin({ options: { tmdb: { timeoutRate: 1, hangMs: 5000 } } });
    const attempt = fetch(`${twin.urls.tmdb}/search/movie?query=x&api_key=${twin.keys.tmdbApiKey}`, {
      signal: AbortSignal.timeout(200),
    });
    await expect(attempt).rejects.toThrow();
  });

  it('when the admin endpoint is driven over HTTP, then counts, options and reset work and keys stay hidden', async () => {
    const twin = await startTestTwin();
    await fetch(`${twin.urls.omdb}?apikey=${twin.keys.omdbKey}&t=x`);
    const counts = await (await fetch(`${twin.urls.admin}/counts`)).json();
    expect(counts).toMatchObject({ counts: { 'omdb.byTitle': 1 }, chargedUsd: 0 });
    const put = await fetch(`${twin.urls.admin}/options`, {
      method: 'PUT',
      body: JSON.stringify({ omdb: { outage: {} } }),
    });
    const options = (await put.json()) as { keys: { omdbKeys: string[] } };
    expect(options.keys.omdbKeys).toEqual(['***']);
    expect((await fetch(`${twin.urls.omdb}?apikey=${twin.keys.omdbKey}&t=x`)).status).toBe(503);
    const bad = await fetch(`${twin.urls.admin}/options`, {
      method: 'PUT',
      body: JSON.stringify({ tmdb: { errorRate: 7 } }),
    });
    expect(bad.status).toBe(400);
    await fetch(`${twin.urls.admin}/reset`, { method: 'POST' });
    expect(twin.counts()['omdb.byTitle']).toBe(0);
  });
  it('when failures are forced, then each service words them as the real one does', async () => {
    const twin = await startTestTwin({
      options: {
        tmdb: { errorRate: 1 },
        zyte: { rateLimit: { requests: 1, windowMs: 60_000, retryAfter: 'never' } },
      },
    });
    const tmdbBodies = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const res = await fetch(`${twin.urls.tmdb}/search/movie?query=x&api_key=${twin.keys.tmdbApiKey}`);
      tmdbBodies.add(`${res.status}:${((await res.json()) as { status_code: number }).status_code}`);
    }
    expect([...tmdbBodies].sort()).toEqual(['502:43', '504:24']);
    const noKey = await fetch(`${twin.urls.omdb}?i=tt0000001`);
    expect([noKey.status, await noKey.json()]).toEqual([
      401,
      { Response: 'False', Error: 'No API key provided.' },
    ]);
    const zyte = () =>
      fetch(`${twin.urls.zyte}/extract`, {
        method: 'POST',
        headers: { Authorization: `Basic ${Buffer.from(`${twin.keys.zyteKey}:`).toString('base64')}` },
        body: JSON.stringify({ url: 'https://www.imdb.com/title/tt0000001/', httpResponseBody: true }),
      });
    expect((await zyte()).status).toBe(200);
    const limited = await zyte();
    expect([limited.status, limited.headers.get('content-type'), limited.headers.get('retry-after')]).toEqual(
      [429, 'application/problem+json', null],
    );
    expect(await limited.json()).toMatchObject({ status: 429, type: '/limits/over-user-limit' });
    twin.setOptions({ zyte: { outage: {} } });
    expect(await (await zyte()).json()).toMatchObject({ status: 503, type: '/limits/over-global-limit' });
  });
});
