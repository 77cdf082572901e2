/**
 * The shared rate limiter's contract on the real server: in one window, any number of
 * instances taking at once get at most the rate between them, and a full window makes a
 * caller wait for the next one rather than fail.
 */
import { describe, expect, it } from 'vitest';
import { SharedRateLimiter } from '../../src/persistence/rate-limiter.js';
import { race, sharedStore } from './store-fixture.js';

describe('rate limiter contract', () => {
  it('when 90 takes from 3 instances race one window of 10 per second, then exactly 10 are admitted', async () => {
    const { views } = await sharedStore(3, 'c-rate');
    const frozen = Date.now() - (Date.now() % 1000) + 50;
    const limiters = views.map(
      (db) => new SharedRateLimiter(db, { perSecond: { tmdb: 10 }, maxWaitMs: 0, clock: () => frozen }),
    );
    const permits = await race(views, 90, (_db, i) => limiters[i % limiters.length]!.acquire('tmdb'));
    expect(permits.filter((p) => p.acquired)).toHaveLength(10);
  });

  it('when 12 takes from 3 instances need three windows of 5, then all are admitted and no window admits more than 5', async () => {
    const { db, views } = await sharedStore(3, 'c-rate');
    const limiters = views.map(
      (view) => new SharedRateLimiter(view, { perSecond: { omdb: 5 }, maxWaitMs: 10_000 }),
    );
    const permits = await race(views, 12, (_db, i) => limiters[i % limiters.length]!.acquire('omdb'));
    expect(permits.every((p) => p.acquired)).toBe(true);
    // The windows' counters: none past the rate, and the twelve spread over three or more.
    const counters = await db.collection('rate_limits').find({ source: 'omdb' }).toArray();
    expect(Math.max(...counters.map((c) => Number(c.count)))).toBeLessThanOrEqual(5);
    expect(counters.length).toBeGreaterThanOrEqual(3);
  });
});
