import { describe, expect, it } from 'vitest';
import { startTestTwin, twinFilm, twinWorld, type TestTwin } from '../helpers/twin.js';

async function extract(
  twin: TestTwin,
  body: unknown,
  key = twin.keys.zyteKey,
): Promise<{ status: number; type: string | null; body: ReturnType<typeof JSON.parse> }> {
  const res = await fetch(`${twin.urls.zyte}/extract`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, type: res.headers.get('content-type'), body: JSON.parse(await res.text()) };
}

const page = (id: string) => `https://www.imdb.com/title/${id}/`;

describe('twin Zyte routes', () => {
  it('when a present page is fetched as httpResponseBody, then the base64 HTML holds JSON-LD and __NEXT_DATA__, and the request is charged', async () => {
    const film = twinFilm({ title: "Tom & Jerry's Café", directors: ['One', 'Two'] });
    const twin = await startTestTwin({ world: twinWorld([film]) });
    const { status, body } = await extract(twin, { url: page(film.imdbId), httpResponseBody: true });
    expect(status).toBe(200);
    expect(body.statusCode).toBe(200);
    const html = Buffer.from(String(body.httpResponseBody), 'base64').toString('utf8');
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!);
    expect(ld).toMatchObject({ '@type': 'Movie', name: 'Tom &amp; Jerry&apos;s Café', duration: 'PT1H48M' });
    expect(ld.director).toHaveLength(2);
    const next = JSON.parse(
      /<script id="__NEXT_DATA__" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!,
    );
    expect(next.props.pageProps.aboveTheFoldData).toMatchObject({
      titleText: { text: "Tom & Jerry's Café" },
      releaseYear: { year: 2023 },
      runtime: { seconds: 6480 },
    });
    expect(twin.counts()['zyte.charged']).toBe(1);
    expect(twin.chargedUsd()).toBeCloseTo(0.02);
  });

  it('when a blocked page is fetched as browserHtml, then status 200 with a challenge page without data blocks', async () => {
    const film = twinFilm({ imdb: 'blocked' });
    const twin = await startTestTwin({ world: twinWorld([film]) });
    const { body } = await extract(twin, { url: page(film.imdbId), browserHtml: true });
    expect(body.statusCode).toBe(200);
    expect(body.browserHtml).not.toContain('application/ld+json');
    expect(body.browserHtml).not.toContain('__NEXT_DATA__');
  });

  it('when the page is missing, then the target statusCode is 404 and it is still charged', async () => {
    const film = twinFilm({ imdb: 'missing' });
    const twin = await startTestTwin({ world: twinWorld([film]) });
    const { status, body } = await extract(twin, { url: page(film.imdbId), httpResponseBody: true });
    expect([status, body.statusCode]).toEqual([200, 404]);
    expect(twin.counts()['zyte.charged']).toBe(1);
  });

  it('when the request is wrong, then problem+json 422 / 451 / 401, none charged', async () => {
    const twin = await startTestTwin();
    const both = await extract(twin, { url: page('tt0000001'), httpResponseBody: true, browserHtml: true });
    expect(both).toMatchObject({
      status: 422,
      type: 'application/problem+json',
      body: { status: 422, type: '/request/unprocessable' },
    });
    const forbidden = await extract(twin, { url: 'https://example.com/', httpResponseBody: true });
    expect(forbidden.body).toMatchObject({ status: 451, type: '/download/domain-forbidden' });
    const badKey = await extract(twin, { url: page('tt0000001'), httpResponseBody: true }, 'wrong');
    expect(badKey).toMatchObject({
      status: 401,
      body: { type: '/auth/key-not-found', title: expect.any(String), detail: expect.any(String) },
    });
    expect(twin.counts()['zyte.charged']).toBe(0);
  });

  it('when the spending limit is reached, then 403 account suspended', async () => {
    const film = twinFilm();
    const twin = await startTestTwin({
      world: twinWorld([film]),
      options: { zyte: { spendingLimitRequests: 1 } },
    });
    expect((await extract(twin, { url: page(film.imdbId), httpResponseBody: true })).status).toBe(200);
    expect((await extract(twin, { url: page(film.imdbId), httpResponseBody: true })).body).toMatchObject({
      status: 403,
      type: '/auth/account-suspended',
    });
  });

  it('when temporary bans and internal errors are switched on, then 520 and 521 problems come back', async () => {
    const film = twinFilm();
    const twin = await startTestTwin({ world: twinWorld([film]), options: { zyte: { errorRate: 1 } } });
    expect((await extract(twin, { url: page(film.imdbId), httpResponseBody: true })).body).toMatchObject({
      status: 520,
      type: '/download/temporary-error',
    });
    twin.setOptions({ zyte: { errorRate: 0, internalErrorRate: 1 } });
    expect((await extract(twin, { url: page(film.imdbId), httpResponseBody: true })).body).toMatchObject({
      status: 521,
      type: '/download/internal-error',
    });
    expect(twin.counts()['zyte.charged']).toBe(0);
  });
});
