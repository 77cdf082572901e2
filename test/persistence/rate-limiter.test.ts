import { MongoClient } from 'mongodb';
import { describe, expect, it, onTestFinished } from 'vitest';
import { testDb } from '../helpers/mongo.js';
import { testServices } from '../helpers/services.js';
import { ensureIndexes } from '../../src/persistence/indexes.js';
import { SharedRateLimiter } from '../../src/persistence/rate-limiter.js';

async function otherClient(): Promise<MongoClient> {
  const client = await new MongoClient(testServices().mongoUri).connect();
  onTestFinished(() => client.close());
  return client;
}

describe('SharedRateLimiter', () => {
  it('when three instances race thirty requests in one window of 5 per second, then exactly 5 are admitted', async () => {
    const { db } = await testDb('rate');
    await ensureIndexes(db);
    const frozen = Date.now() - (Date.now() % 1000) + 100;
    const clients = [await otherClient(), await otherClient(), await otherClient()];
    const limiters = clients.map(
      (c) =>
        new SharedRateLimiter(c.db(db.databaseName), {
          perSecond: { imdb: 5 },
          maxWaitMs: 0,
          clock: () => frozen,
        }),
    );
    const permits = await Promise.all(
      limiters.flatMap((limiter) => Array.from({ length: 10 }, () => limiter.acquire('imdb'))),
    );
    expect(permits.filter((p) => p.acquired)).toHaveLength(5);
  });

  it('when more requests arrive than one window allows, then acquire waits for the next window instead of failing', async () => {
    const { db } = await testDb('rate');
    await ensureIndexes(db);
    const limiter = new SharedRateLimiter(db, { perSecond: { omdb: 2 }, maxWaitMs: 10_000 });
    const permits = [];
    for (let i = 0; i < 5; i += 1) permits.push(await limiter.acquire('omdb'));
    expect(permits.every((p) => p.acquired)).toBe(true);
    expect(permits.some((p) => p.waitedMs > 0)).toBe(true);
    // One counter per one-second window, none past the limit, five requests over three windows or more.
    const counters = await db.collection('rate_limits').find({ source: 'omdb' }).toArray();
    expect(Math.max(...counters.map((c) => Number(c.count)))).toBeLessThanOrEqual(2);
    expect(counters.length).toBeGreaterThanOrEqual(3);
  });

  it('when requests first arrive late in a window, then they are still spaced 1/limit apart rather than let through in a burst', async () => {
    // Regression: slots whose due time had passed were all handed out at once, so a burst
    // late in our window plus the start of the next fell into one upstream window (429s).
    const { db } = await testDb('rate');
    await ensureIndexes(db);
    const limiter = new SharedRateLimiter(db, { perSecond: { omdb: 10 }, maxWaitMs: 10_000 });
    const intoWindow = Date.now() % 1000;
    if (intoWindow < 700) await new Promise((resolve) => setTimeout(resolve, 700 - intoWindow));
    const admitted: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, () => limiter.acquire('omdb').then(() => admitted.push(Date.now()))),
    );
    const gaps = admitted.slice(1).map((t, i) => t - admitted[i]!);
    // 100 ms apart at 10 per second, less a little timer slack.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(90);
  });

  it('when a source has no configured rate, then acquire admits at once without a database write', async () => {
    const { db } = await testDb('rate');
    const limiter = new SharedRateLimiter(db, { perSecond: {} });
    expect(await limiter.acquire('tmdb')).toEqual({ acquired: true, waitedMs: 0 });
    expect(await db.collection('rate_limits').countDocuments()).toBe(0);
  });
});
