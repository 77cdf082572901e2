import { MongoClient } from 'mongodb';
import { describe, expect, it, onTestFinished } from 'vitest';
import { testDb } from '../helpers/mongo.js';
import { testServices } from '../helpers/services.js';
import { ensureIndexes } from '../../src/persistence/indexes.js';
import { MoviesRepository } from '../../src/persistence/movies-repository.js';
import { ReviewQueueRepository } from '../../src/persistence/review-queue-repository.js';
import type { CandidateSummary } from '../../src/sources/outcome.js';

const t0 = new Date('2026-11-01T10:00:00Z');
const day = 24 * 3600 * 1000;
const candidate: CandidateSummary = {
  source: 'tmdb',
  id: '1220564',
  title: 'The Secret Agent',
  year: 2025,
  confidence: 0.55,
};

async function queue(): Promise<{
  queue: ReviewQueueRepository;
  db: Awaited<ReturnType<typeof testDb>>['db'];
}> {
  const { db } = await testDb('review');
  await ensureIndexes(db);
  return { queue: new ReviewQueueRepository(db), db };
}

describe('ReviewQueueRepository', () => {
  it('when the same film is opened twice with the same nomination, then one item exists and the second call changes nothing', async () => {
    const { queue: q, db } = await queue();
    const first = await q.open({
      movieKey: 'tt27847051',
      reason: 'low_confidence',
      candidates: [candidate],
      nominationIds: ['n1'],
      now: t0,
    });
    expect(first.created).toBe(true);
    const second = await q.open({
      movieKey: 'tt27847051',
      reason: 'low_confidence',
      candidates: [candidate],
      nominationIds: ['n1'],
      now: new Date(t0.getTime() + day),
    });
    expect(second).toEqual({ created: false, item: first.item });
    expect(await db.collection('review_queue').countDocuments()).toBe(1);
    expect(await q.get('tt27847051')).toEqual(first.item);
  });

  it('when another nomination of an open film arrives, then its id is added to the same item', async () => {
    const { queue: q } = await queue();
    await q.open({ movieKey: 'tt1', reason: 'all_sources_failed', nominationIds: ['n1'], now: t0 });
    await q.open({ movieKey: 'tt1', reason: 'all_sources_failed', nominationIds: ['n2', 'n1'], now: t0 });
    expect((await q.get('tt1'))?.nominationIds).toEqual(['n1', 'n2']);
    expect(await q.countOpen()).toBe(1);
  });

  it('when instances open the same film concurrently, then exactly one open item exists', async () => {
    const { db } = await queue();
    const clients = await Promise.all(
      [0, 1, 2].map(() => new MongoClient(testServices().mongoUri).connect()),
    );
    onTestFinished(async () => {
      await Promise.all(clients.map((c) => c.close()));
    });
    const results = await Promise.all(
      clients.flatMap((c) =>
        [0, 1, 2].map(() =>
          new ReviewQueueRepository(c.db(db.databaseName)).open({
            movieKey: 'tt1',
            reason: 'ambiguous',
            now: t0,
          }),
        ),
      ),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await db.collection('review_queue').countDocuments()).toBe(1);
  });

  it('when an item is resolved, then it leaves the open list, keeps the decision, and the film can be reopened later', async () => {
    const { queue: q } = await queue();
    await q.open({ movieKey: 'title:x:2025', reason: 'ambiguous', now: t0 });
    const resolved = await q.resolve('title:x:2025', { imdbId: 'tt1234567', by: 'curator@example.org' }, t0);
    expect(resolved).toMatchObject({
      status: 'resolved',
      resolution: { imdbId: 'tt1234567', by: 'curator@example.org' },
    });
    expect(resolved).not.toHaveProperty('openKey');
    expect(await q.countOpen()).toBe(0);
    expect(await q.list({ status: 'resolved' })).toHaveLength(1);
    expect(await q.resolve('title:x:2025', { imdbId: 'tt1234567', by: 'again' })).toBeNull();
    expect((await q.open({ movieKey: 'title:x:2025', reason: 'low_confidence', now: t0 })).created).toBe(
      true,
    );
    expect(await q.countOpen()).toBe(1);
  });

  it('when an item is dismissed, then it is closed as dismissed', async () => {
    const { queue: q } = await queue();
    await q.open({ movieKey: 'tt2', reason: 'low_confidence', now: t0 });
    expect(await q.dismiss('tt2', t0)).toMatchObject({ status: 'dismissed' });
    expect(await q.list()).toEqual([]);
  });

  it('when list is filtered by reason, then only that reason is returned, oldest first', async () => {
    const { queue: q } = await queue();
    await q.open({ movieKey: 'b', reason: 'low_confidence', now: new Date(t0.getTime() + 1000) });
    await q.open({ movieKey: 'a', reason: 'low_confidence', now: t0 });
    await q.open({ movieKey: 'c', reason: 'all_sources_failed', now: t0 });
    expect((await q.list({ reason: 'low_confidence' })).map((i) => i.movieKey)).toEqual(['a', 'b']);
    expect(await q.list({ limit: 1 })).toHaveLength(1);
  });

  it('when stubs stay unresolved for 30 days, then they are escalated once and listed first', async () => {
    const { queue: q, db } = await queue();
    const movies = new MoviesRepository(db);
    const now = new Date(t0.getTime() + 31 * day);
    await movies.upsertStub({ imdbId: 'tt0000001', title: 'Old stub with item', year: 2025 }, t0);
    await q.open({ movieKey: 'tt0000001', reason: 'all_sources_failed', nominationIds: ['n1'], now: t0 });
    await movies.upsertStub({ imdbId: 'tt0000002', title: 'Old stub without item', year: 2025 }, t0);
    await movies.upsertStub(
      { imdbId: 'tt0000003', title: 'Young stub', year: 2025 },
      new Date(now.getTime() - day),
    );
    await q.open({ movieKey: 'tt0000003', reason: 'all_sources_failed', now: new Date(now.getTime() - day) });
    await q.open({ movieKey: 'tt0000009', reason: 'low_confidence', now: new Date(t0.getTime() - day) });

    expect(await q.escalateStaleStubs(now)).toBe(2);
    expect(await q.escalateStaleStubs(now)).toBe(0);
    expect(await q.get('tt0000001')).toMatchObject({
      reason: 'all_sources_failed',
      escalatedAt: now,
      nominationIds: ['n1'],
    });
    expect(await q.get('tt0000002')).toMatchObject({ reason: 'stale_stub', escalatedAt: now });
    expect((await q.list()).map((i) => i.movieKey)).toEqual([
      'tt0000001',
      'tt0000002',
      'tt0000009',
      'tt0000003',
    ]);
    expect((await q.list({ escalated: true })).map((i) => i.movieKey)).toEqual(['tt0000001', 'tt0000002']);
  });
});
