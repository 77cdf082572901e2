import { describe, expect, it } from 'vitest';
import { buildConsole } from '../../src/console/server.js';
import { createLogger } from '../../src/logger.js';
import { ensureIndexes } from '../../src/persistence/indexes.js';
import { MoviesRepository } from '../../src/persistence/movies-repository.js';
import { NominationsRepository } from '../../src/persistence/nominations-repository.js';
import { ReviewQueueRepository } from '../../src/persistence/review-queue-repository.js';
import { SpendLedger } from '../../src/persistence/spend-ledger.js';
import { testDb } from '../helpers/mongo.js';

const token = 'a-console-token-of-some-length';

async function fixture(consoleToken?: string) {
  const { db } = await testDb('console_security');
  await ensureIndexes(db);
  const review = {
    reviews: new ReviewQueueRepository(db),
    movies: new MoviesRepository(db),
    nominations: new NominationsRepository(db),
  };
  const stub = await review.movies.upsertStub({ imdbId: null, title: 'Lost Reel', year: 2024 });
  await review.reviews.open({
    movieKey: stub.document.key,
    reason: 'all_sources_failed',
    nominationIds: ['n1'],
  });
  const app = await buildConsole(
    { db, review, ledger: new SpendLedger(db, {}), logger: createLogger('silent') },
    { host: '127.0.0.1', ...(consoleToken === undefined ? {} : { token: consoleToken }) },
  );
  return { app, review, key: stub.document.key };
}

/** The CSRF token and cookies a page hands out. */
async function formToken(app: Awaited<ReturnType<typeof fixture>>['app'], cookie = '') {
  const page = await app.inject({ method: 'GET', url: '/review', headers: { host: '127.0.0.1', cookie } });
  const csrf = /"x-csrf-token": "([^"]+)"/.exec(page.body)?.[1] ?? '';
  const cookies = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return { csrf, cookie: [cookie, cookies].filter((c) => c !== '').join('; '), body: page.body };
}

describe('console security', () => {
  it('when a token is configured, then an action needs both a sign-in and the CSRF token, and the token never appears', async () => {
    const { app, review, key } = await fixture(token);
    const host = '127.0.0.1';
    const anonymous = await formToken(app);
    expect(anonymous.body).toContain('data-testid="signin"');
    expect(anonymous.body).not.toContain('data-testid="dismiss"');
    const dismiss = (cookie: string, csrf?: string) =>
      app.inject({
        method: 'POST',
        url: '/review/dismiss',
        headers: { host, cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          movieKey: key,
          ...(csrf === undefined ? {} : { _csrf: csrf }),
        }).toString(),
      });
    expect((await dismiss(anonymous.cookie, anonymous.csrf)).statusCode).toBe(401);

    const wrong = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { host, cookie: anonymous.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: anonymous.csrf, token: 'wrong' }).toString(),
    });
    expect(wrong.statusCode).toBe(401);
    const noCsrf = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { host, cookie: anonymous.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ token }).toString(),
    });
    expect(noCsrf.statusCode).toBe(403);
    const login = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { host, cookie: anonymous.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: anonymous.csrf, token }).toString(),
    });
    expect(login.statusCode).toBe(303);
    const auth = login.cookies.find((c) => c.name === 'fr_console_auth')!;
    expect(auth.httpOnly).toBe(true);
    expect(auth.value).not.toContain(token);
    const signedIn = await formToken(app, `${anonymous.cookie}; fr_console_auth=${auth.value}`);
    expect(signedIn.body).toContain('data-testid="dismiss"');
    expect(signedIn.body).not.toContain(token);

    expect((await dismiss(signedIn.cookie)).statusCode).toBe(403); // signed in, but no CSRF token
    expect((await review.reviews.get(key))?.status).toBe('open');
    const done = await dismiss(signedIn.cookie, signedIn.csrf);
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Dismissed without an answer');
    expect((await review.reviews.get(key))?.status).toBe('dismissed');
    await app.close();
  });

  it('when no token is configured, then pages carry no action and a POST with a valid CSRF token is refused', async () => {
    const { app, review, key } = await fixture();
    const page = await formToken(app);
    expect(page.body).toContain('read-only');
    expect(page.body).not.toMatch(/data-testid="(accept|dismiss|resolve|signin)"/);
    const post = await app.inject({
      method: 'POST',
      url: '/review/dismiss',
      headers: {
        host: '127.0.0.1',
        cookie: page.cookie,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams({ movieKey: key, _csrf: page.csrf }).toString(),
    });
    expect(post.statusCode).toBe(403);
    expect(post.body).toContain('read-only');
    expect((await review.reviews.get(key))?.status).toBe('open');
    expect(
      (await app.inject({ method: 'GET', url: '/review', headers: { host: 'evil.example' } })).statusCode,
    ).toBe(421);
    const assets = await app.inject({
      method: 'GET',
      url: '/assets/htmx.min.js',
      headers: { host: 'localhost' },
    });
    expect(assets.statusCode).toBe(200);
    expect(page.body).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[^"']*\.(js|css)/); // no CDN
    expect(
      (await app.inject({ method: 'GET', url: '/review', headers: { host: '127.0.0.1' } })).headers[
        'content-security-policy'
      ],
    ).toContain("script-src 'self'");
    await app.close();
  });
});
