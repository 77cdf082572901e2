/**
 * The daily request quota's contract on the real server: requests racing from several
 * instances take at most the quota between them, the first one of the day included (the
 * counter is created by whichever instance gets there first), and a new day starts afresh.
 */
import { describe, expect, it } from 'vitest';
import { MongoRequestQuota } from '../../src/persistence/request-quota.js';
import { race, sharedStore } from './store-fixture.js';

describe('request quota contract', () => {
  it('when 60 requests from 3 instances race a fresh day with a quota of 7, then exactly 7 may be sent', async () => {
    const { views } = await sharedStore(3, 'c-quota');
    const quotas = views.map((db) => new MongoRequestQuota(db, { omdb: 7 }));
    const day = new Date('2026-03-01T10:00:00Z');
    const taken = await race(views, 60, (_db, i) => quotas[i % quotas.length]!.take('omdb', day));
    expect(taken.filter(Boolean)).toHaveLength(7);
    // The next UTC day has its own counter; a source without a quota is never held back.
    expect(await quotas[0]!.take('omdb', new Date('2026-03-02T00:00:01Z'))).toBe(true);
    expect(await quotas[1]!.take('imdb', day)).toBe(true);
  });
});
