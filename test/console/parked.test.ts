import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { buildConsole } from '../../src/console/server.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { collectionNames } from '../../src/persistence/collections.js';
import { ensureIndexes } from '../../src/persistence/indexes.js';
import { MoviesRepository } from '../../src/persistence/movies-repository.js';
import { NominationsRepository } from '../../src/persistence/nominations-repository.js';
import { MongoParkedNominations } from '../../src/persistence/parked-nominations.js';
import { ReviewQueueRepository } from '../../src/persistence/review-queue-repository.js';
import { SpendLedger } from '../../src/persistence/spend-ledger.js';
import type { RedriveOutlook } from '../../src/resolver/park-outlook.js';
import { parkedGauge } from '../../src/resolver/parked-gauge.js';
import type { ParkedNomination } from '../../src/resolver/ports.js';
import { testDb } from '../helpers/mongo.js';

const token = 'a-console-token-for-parked-tests';
const host = '127.0.0.1';
const attackTitle = '<script>alert("parked")</script>';

const hour = 3_600_000;

function entry(
  id: string,
  source: ParkedNomination['source'],
  parkedAgoMs: number,
  film?: ParkedNomination['film'],
): ParkedNomination {
  const now = Date.now();
  return {
    nominationId: id,
    ...(film === undefined ? {} : { film }),
    source,
    reason: `${source} answered 503`,
    since: new Date(now - parkedAgoMs - 6 * hour),
    parkedAt: new Date(now - parkedAgoMs),
    tierAttempts: { [source]: 14 },
    key: Buffer.from(`key-${id}`),
    value: Buffer.from(`value-${id}`),
  };
}

async function fixture() {
  const { db } = await testDb('console_parked');
  await ensureIndexes(db);
  const parking = new MongoParkedNominations(db);
  const registry = new Registry();
  const metrics = createMetrics(registry);
  const gauge = parkedGauge(parking, metrics);
  const republished: { key: string; value: string }[] = [];
  const now = Date.now();
  const outlooks: Record<string, RedriveOutlook> = {
    tmdb: {
      source: 'tmdb',
      circuitOpen: true,
      circuitWaitMs: 30_000,
      lastSuccessAt: 0,
      nextPassAt: now + 10_000,
      intervalMs: 60_000,
      batch: 200,
    },
    imdb: {
      source: 'imdb',
      circuitOpen: false,
      circuitWaitMs: 0,
      lastSuccessAt: now,
      nextPassAt: now + 10_000,
      intervalMs: 60_000,
      batch: 200,
    },
  };
  const review = {
    reviews: new ReviewQueueRepository(db),
    movies: new MoviesRepository(db),
    nominations: new NominationsRepository(db),
  };
  const app = await buildConsole(
    {
      db,
      review,
      ledger: new SpendLedger(db, {}),
      logger: createLogger('silent'),
      parked: {
        parking,
        republish: async (key, value) => {
          republished.push({ key: key?.toString() ?? '', value: value?.toString() ?? '' });
          await Promise.resolve();
        },
        outlook: (source) => outlooks[source],
        gauge,
        topic: 'festival.nominations',
        intervalMs: 60_000,
      },
    },
    { host, token },
  );
  const gaugeValues = async () =>
    Object.fromEntries(
      ((await registry.getSingleMetric('festival_resolver_parked_nominations')?.get())?.values ?? []).map(
        (v) => [String(v.labels.source), v.value],
      ),
    );
  return { app, db, parking, review, republished, gauge, gaugeValues };
}

type App = Awaited<ReturnType<typeof fixture>>['app'];

async function signIn(app: App): Promise<{ cookie: string; csrf: string }> {
  const first = await app.inject({ method: 'GET', url: '/review', headers: { host } });
  const csrf = /"x-csrf-token": "([^"]+)"/.exec(first.body)?.[1] ?? '';
  const cookie = first.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const login = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { host, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, token }).toString(),
  });
  const auth = login.cookies.find((c) => c.name === 'fr_console_auth')!;
  const signed = `${cookie}; fr_console_auth=${auth.value}`;
  const page = await app.inject({
    method: 'GET',
    url: '/review?status=parked',
    headers: { host, cookie: signed },
  });
  return { cookie: signed, csrf: /"x-csrf-token": "([^"]+)"/.exec(page.body)?.[1] ?? '' };
}

const cards = (body: string) => body.split('data-testid="parked-item"').slice(1);

describe('parked nominations in the console', () => {
  it('when nominations are parked, then the queue names them and the parked section shows each with its film, source, reason, times, attempts and next re-drive, escaped', async () => {
    const { app, parking } = await fixture();
    await parking.park(
      entry('cannes_2024:competition:a', 'tmdb', 2 * hour, {
        festival: 'cannes_2024',
        editionYear: 2024,
        category: 'competition',
        title: attackTitle,
        year: 2024,
        imdbId: 'tt31234567',
      }),
    );
    await parking.park(entry('cannes_2024:competition:b', 'tmdb', hour));
    await parking.park(
      entry('venice_2024:orizzonti:c', 'imdb', hour, {
        festival: 'venice_2024',
        editionYear: 2024,
        category: 'orizzonti',
        title: 'Harbour Lights',
        year: null,
        imdbId: null,
      }),
    );

    await parking.park(entry('berlin_2024:encounters:d', 'omdb', hour / 2));

    const queue = await app.inject({ method: 'GET', url: '/review', headers: { host } });
    expect(queue.body).toMatch(
      /data-testid="parked-notice"[\s\S]*4 nomination\(s\) parked[\s\S]*tmdb 2, omdb 1, imdb 1/,
    );

    const page = await app.inject({ method: 'GET', url: '/review?status=parked', headers: { host } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<option value="parked" selected>');
    const [a, b, c, d] = cards(page.body);
    expect(cards(page.body)).toHaveLength(4);
    // Oldest first; the film as nominated, escaped; the source, reason, times and attempts.
    expect(a).toContain('cannes_2024:competition:a');
    expect(a).not.toContain(attackTitle);
    expect(a).toContain('&lt;script&gt;alert(&quot;parked&quot;)&lt;/script&gt;');
    expect(a).toMatch(/tt31234567[\s\S]*cannes_2024 · 2024 · competition/);
    expect(a).toMatch(/data-testid="parked-source">tmdb</);
    expect(a).toContain('tmdb answered 503');
    expect(a).toMatch(/failing since<\/dt>\s*<dd>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(8 h ago\)/);
    expect(a).toMatch(/parked at<\/dt>\s*<dd>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(a).toMatch(/data-testid="parked-attempts">tmdb 14</);
    // TMDb's circuit is open for 30 s: the first pass after it, the oldest as a probe, the next after it.
    expect(a).toMatch(/data-testid="next-redrive"\s+data-kind="circuit_open"[\s\S]*not before <strong>/);
    expect(b).toMatch(/data-kind="circuit_open"/);
    expect(b).toContain('not kept');
    // IMDb answered since: the next pass.
    expect(c).toMatch(/data-kind="next_pass"[\s\S]*imdb has answered since it was parked/);
    // OMDb is not in this re-driver's chain: it never goes back on its own.
    expect(d).toMatch(/data-kind="unknown"[\s\S]*never on its own/);
    // Signed out: nothing to click.
    expect(page.body).not.toContain('data-testid="redrive"');
    // The festival filter applies to parked nominations.
    const venice = await app.inject({
      method: 'GET',
      url: '/review?status=parked&festival=venice_2024',
      headers: { host },
    });
    expect(cards(venice.body)).toHaveLength(1);
    await app.close();
  });

  it('when a curator re-drives one, then it is republished as consumed, leaves the parking and the gauge, and the card follows it until it is recorded', async () => {
    const { app, db, parking, review, republished, gauge, gaugeValues } = await fixture();
    const id = 'cannes_2024:competition:redrive';
    await parking.park(entry(id, 'tmdb', hour));
    await parking.park(entry('cannes_2024:competition:other', 'imdb', hour));
    await gauge.refresh();
    expect(await gaugeValues()).toEqual({ tmdb: 1, omdb: 0, imdb: 1 });

    const anonymous = await app.inject({
      method: 'POST',
      url: '/review/parked/redrive',
      headers: { host, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ nominationId: id }).toString(),
    });
    expect(anonymous.statusCode).toBe(403); // no CSRF token
    expect(republished).toEqual([]);

    const { cookie, csrf } = await signIn(app);
    const signedPage = await app.inject({
      method: 'GET',
      url: '/review?status=parked',
      headers: { host, cookie },
    });
    expect(signedPage.body).toContain('data-testid="redrive"');
    const redrive = () =>
      app.inject({
        method: 'POST',
        url: '/review/parked/redrive',
        headers: { host, cookie, 'hx-request': 'true', 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf, nominationId: id }).toString(),
      });
    const done = await redrive();
    expect(done.statusCode).toBe(200);
    expect(done.body).toMatch(/data-testid="parked-outcome"\s+data-kind="redriven"/);
    expect(done.body).toContain('Re-driven');
    expect(done.body).toMatch(/data-kind="waiting"[\s\S]*hx-get="\/review\/parked\/status\?nominationId=/);
    expect(republished).toEqual([{ key: `key-${id}`, value: `value-${id}` }]);
    expect(await parking.get(id)).toBeNull();
    expect(await gaugeValues()).toEqual({ tmdb: 0, omdb: 0, imdb: 1 });
    // A second click finds nothing to re-drive, and says so.
    const again = await redrive();
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('no longer parked');
    expect(republished).toHaveLength(1);

    const poll = /hx-get="([^"]+)"/.exec(done.body)![1]!.replace(/&amp;/g, '&');
    const since = Number(new URL(poll, 'http://x').searchParams.get('since'));
    expect((await app.inject({ method: 'GET', url: poll, headers: { host } })).body).toContain(
      'data-kind="waiting"',
    );
    // The resolver records it: the card says so and stops asking.
    const stub = await review.movies.upsertStub({ imdbId: 'tt31230001', title: 'Redriven', year: 2024 });
    await db.collection(collectionNames.nominations).insertOne({
      nominationId: id,
      festival: 'cannes_2024',
      editionYear: 2024,
      category: 'competition',
      film: { imdbId: 'tt31230001', title: 'Redriven', originalTitle: null, year: 2024, directors: [] },
      people: [],
      won: false,
      critical: false,
      producedAt: Date.now(),
      movieKey: stub.document.key,
      createdAt: new Date(since + 500),
      linkedAt: new Date(since + 500),
      updatedAt: new Date(since + 500),
    });
    const recorded = await app.inject({ method: 'GET', url: poll, headers: { host } });
    expect(recorded.body).toMatch(/data-kind="recorded"[\s\S]*tt31230001[\s\S]*stub/);
    expect(recorded.body).not.toContain('hx-get');
    const left = await app.inject({ method: 'GET', url: '/review?status=parked', headers: { host } });
    expect(cards(left.body)).toHaveLength(1);
    expect(left.body).not.toContain(id);

    // Parked again after the re-drive: the card says that instead.
    await parking.park({ ...entry(id, 'tmdb', 0), parkedAt: new Date(since + 1000) });
    expect((await app.inject({ method: 'GET', url: poll, headers: { host } })).body).toMatch(
      /data-kind="parked_again"[\s\S]*tmdb still fails/,
    );
    await app.close();
  });
});
