import { describe, expect, it } from 'vitest';
import { testDb } from '../helpers/mongo.js';
import { ensureIndexes } from '../../src/persistence/indexes.js';

describe('ensureIndexes', () => {
  it('when run twice, then the second run succeeds and the index set is the same', async () => {
    const { db } = await testDb('indexes');
    await ensureIndexes(db);
    const names = async (): Promise<string[]> =>
      (await db.collection('movies').listIndexes().toArray()).map((i) => String(i.name)).sort();
    const before = await names();
    const report = await ensureIndexes(db);
    expect(await names()).toEqual(before);
    expect(before).toEqual(
      expect.arrayContaining(['key_unique', 'imdbId_unique', 'tmdbId_unique', 'enrichment']),
    );
    expect(report.created).toBeGreaterThan(0);
    // The expiring collections have real TTL indexes (no expiry in code).
    for (const collection of ['lookup_cache', 'spend_ledger', 'rate_limits']) {
      const ttl = (await db.collection(collection).listIndexes().toArray()).find(
        (i) => i.name === 'expiresAt',
      );
      expect(ttl?.expireAfterSeconds, collection).toBe(0);
    }
  });

  it('when two movies share a key or an IMDb ID, then the second insert is refused, while documents without IDs coexist', async () => {
    const { db } = await testDb('indexes');
    await ensureIndexes(db);
    const movies = db.collection('movies');
    await movies.insertOne({ key: 'tt0000001', imdbId: 'tt0000001', tmdbId: 1 });
    await expect(movies.insertOne({ key: 'tt0000001' })).rejects.toMatchObject({ code: 11000 });
    await expect(movies.insertOne({ key: 'other', imdbId: 'tt0000001' })).rejects.toMatchObject({
      code: 11000,
    });
    await expect(movies.insertOne({ key: 'other2', tmdbId: 1 })).rejects.toMatchObject({ code: 11000 });
    await movies.insertOne({ key: 'title:a:2025' });
    await movies.insertOne({ key: 'title:b:2025' });
    expect(await movies.countDocuments()).toBe(3);
  });

  it('when two review items are open for one movie, then the second is refused, while closed items may repeat', async () => {
    const { db } = await testDb('indexes');
    await ensureIndexes(db);
    const items = db.collection('review_queue');
    await items.insertOne({ movieKey: 'tt1', openKey: 'tt1', status: 'open' });
    await expect(items.insertOne({ movieKey: 'tt1', openKey: 'tt1', status: 'open' })).rejects.toMatchObject({
      code: 11000,
    });
    await items.insertOne({ movieKey: 'tt1', status: 'resolved' });
    await items.insertOne({ movieKey: 'tt1', status: 'resolved' });
    expect(await items.countDocuments()).toBe(3);
  });
});
