/**
 * Regression: FerretDB 1.24's SQLite backend created the `_id` index on
 * `_ferretdb_sjson->"_id"` but filtered `_id` lookups with `_ferretdb_sjson->'$._id'`, so
 * SQLite (which matches index expressions literally) scanned the whole table for every
 * find, update and delete by `_id`. The resolver's hot path reads and writes by `_id`
 * only, and it slowed down as the collections grew (bench:resolve at 1,000 films: 90 ms
 * per movie find, 0.74 of the ceiling). The stack builds FerretDB with a patch
 * (FERRETDB_PATCHES in src/stack/prerequisites.ts); on MongoDB an `_id` lookup never scans.
 */
import { describe, expect, it } from 'vitest';
import { testDb } from '../helpers/mongo.js';
import { ensureIndexes } from '../../src/persistence/indexes.js';
import { collectionNames } from '../../src/persistence/collections.js';

interface Explained {
  queryPlanner?: { Plan?: string[]; winningPlan?: { stage?: string; inputStage?: { stage?: string } } };
}

describe('an _id lookup on the MongoDB-wire server', () => {
  it('when a movie is found by _id, then the server uses the _id index instead of scanning the collection', async () => {
    const { db } = await testDb('idscan');
    await ensureIndexes(db);
    const movies = db.collection<{ _id: string; title: string }>(collectionNames.movies);
    await movies.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `tt${String(1_000_000 + i)}`, title: `film ${i}` })));

    const explained = (await movies.find({ _id: 'tt1000007' }).explain()) as Explained;
    const ferretPlan = explained.queryPlanner?.Plan;
    if (ferretPlan !== undefined) {
      // FerretDB (SQLite): EXPLAIN QUERY PLAN lines, e.g. "SEARCH movies_… USING INDEX movies_…__id_ (<expr>=?)".
      expect(ferretPlan.join('\n')).toMatch(/SEARCH \S+ USING INDEX \S+__id_/);
    } else {
      const winning = explained.queryPlanner?.winningPlan;
      expect([winning?.stage, winning?.inputStage?.stage]).not.toContain('COLLSCAN');
      expect(winning?.stage).toBeDefined();
    }
    expect(await movies.findOne({ _id: 'tt1000007' })).toEqual({ _id: 'tt1000007', title: 'film 7' });
  });
});
