/**
 * Regression: the store used to scan the whole collection for any filter other than
 * `_id` equality (the local stack's old store, on SQLite), so the service could look documents up by
 * `_id` only. On MongoDB and on the local stack's store (PostgreSQL with DocumentDB) a find on an
 * indexed field reads that index; on a field without an index it does not.
 */
import { describe, expect, it } from 'vitest';
import { indexesUsed } from '../../src/mongo/explain.js';
import { testDb } from '../helpers/mongo.js';

describe('a find on an indexed field on the MongoDB-wire server', () => {
  it('when a collection has an index on movieKey, then explain of a find by movieKey names that index, and a find on an unindexed field does not', async () => {
    const { db } = await testDb('explain');
    const nominations = db.collection<{ _id: string; movieKey: string; category: string }>('nominations');
    await nominations.createIndex({ movieKey: 1 }, { name: 'movieKey_probe' });
    await nominations.insertMany(
      Array.from({ length: 500 }, (_, i) => ({
        _id: `cannes_2022:${i}`,
        movieKey: `tt${String(1_000_000 + (i % 100))}`,
        category: `category ${i}`,
      })),
    );

    const indexed = await nominations.find({ movieKey: 'tt1000007' }).explain();
    const unindexed = await nominations.find({ category: 'category 7' }).explain();

    expect(indexesUsed(indexed)).toContain('movieKey_probe');
    expect(indexesUsed(unindexed)).not.toContain('movieKey_probe');
    expect(await nominations.countDocuments({ movieKey: 'tt1000007' })).toBe(5);
  });
});
