import { MongoClient } from 'mongodb';
import { describe, expect, it, onTestFinished } from 'vitest';
import { testDb } from '../helpers/mongo.js';
import { testServices } from '../helpers/services.js';
import { ensureIndexes } from '../../src/persistence/indexes.js';
import { SpendLedger, budgetsFromConfig, type Budgets } from '../../src/persistence/spend-ledger.js';
import { loadConfig } from '../../src/config.js';

async function otherClient(): Promise<MongoClient> {
  const client = await new MongoClient(testServices().mongoUri).connect();
  onTestFinished(() => client.close());
  return client;
}

const zyteTenCalls: Budgets = { imdb: { costUsd: 0.02, dailyBudgetUsd: 0.2, monthlyBudgetUsd: 10 } };
const at = new Date('2026-11-23T10:00:00Z');

describe('SpendLedger', () => {
  it('when three instances race many reservations against a budget worth 10 calls, then exactly 10 succeed', async () => {
    const { db } = await testDb('ledger');
    await ensureIndexes(db);
    const clients = [await otherClient(), await otherClient(), await otherClient()];
    const ledgers = clients.map((c) => new SpendLedger(c.db(db.databaseName), zyteTenCalls));
    const results = await Promise.all(
      ledgers.flatMap((ledger) => Array.from({ length: 12 }, () => ledger.reserve('imdb', { now: at }))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.period === 'day')).toBe(true);
    const left = await ledgers[0]!.remaining('imdb', at);
    expect(left.day).toEqual({ limitUsd: 0.2, spentUsd: 0.2, remainingUsd: 0 });
    expect(left.month?.spentUsd).toBe(0.2);
  });

  it('when a hundred $0.001 calls are reserved against $0.1, then all succeed and the ledger holds exactly $0.1 (no float drift)', async () => {
    const { db } = await testDb('ledger');
    await ensureIndexes(db);
    const ledger = new SpendLedger(db, { omdb: { costUsd: 0.001, dailyBudgetUsd: 0.1 } });
    // Summed as floats, a hundred 0.001 make 0.10000000000000007 and the last call would be refused.
    for (let i = 0; i < 100; i += 1) expect((await ledger.reserve('omdb', { now: at })).ok).toBe(true);
    expect(await ledger.reserve('omdb', { now: at })).toEqual({
      ok: false,
      reason: 'budget_exhausted',
      period: 'day',
    });
    expect((await ledger.remaining('omdb', at)).day?.spentUsd).toBe(0.1);
  });

  it('when the daily request quota is used up, then the next reservation is refused with period quota', async () => {
    const { db } = await testDb('ledger');
    await ensureIndexes(db);
    const ledger = new SpendLedger(db, { omdb: { costUsd: 0, dailyRequestQuota: 3, dailyBudgetUsd: 5 } });
    for (let i = 0; i < 3; i += 1) expect((await ledger.reserve('omdb', { now: at })).ok).toBe(true);
    expect(await ledger.reserve('omdb', { now: at })).toEqual({
      ok: false,
      reason: 'budget_exhausted',
      period: 'quota',
    });
    expect((await ledger.remaining('omdb', at)).quota).toEqual({ limit: 3, used: 3, remaining: 0 });
    const tomorrow = new Date('2026-11-24T00:00:01Z');
    expect((await ledger.reserve('omdb', { now: tomorrow })).ok).toBe(true);
  });

  it('when the monthly budget is spent but the daily one is not, then the reservation fails with period month and the daily one is refunded', async () => {
    const { db } = await testDb('ledger');
    await ensureIndexes(db);
    const ledger = new SpendLedger(db, { imdb: { costUsd: 0.05, dailyBudgetUsd: 1, monthlyBudgetUsd: 0.1 } });
    expect((await ledger.reserve('imdb', { now: at })).ok).toBe(true);
    expect((await ledger.reserve('imdb', { now: new Date('2026-11-24T10:00:00Z') })).ok).toBe(true);
    expect(await ledger.reserve('imdb', { now: at })).toEqual({
      ok: false,
      reason: 'budget_exhausted',
      period: 'month',
    });
    const left = await ledger.remaining('imdb', at);
    expect(left.day?.spentUsd).toBe(0.05);
    expect(left.month?.remainingUsd).toBe(0);
  });

  it('when an uncharged call is released twice, then the budget is refunded once', async () => {
    const { db } = await testDb('ledger');
    await ensureIndexes(db);
    const ledger = new SpendLedger(db, zyteTenCalls);
    const first = await ledger.reserve('imdb', { now: at });
    await ledger.reserve('imdb', { now: at });
    if (!first.ok) throw new Error('expected a reservation');
    expect(await ledger.release(first.reservation, at)).toBe(true);
    expect(await ledger.release(first.reservation, at)).toBe(false);
    const left = await ledger.remaining('imdb', at);
    expect(left.day?.spentUsd).toBe(0.02);
    expect(left.month?.spentUsd).toBe(0.02);
  });

  it('when another instance refunds a call after this one saw the budget spent, then this one can reserve again at once', async () => {
    const { db } = await testDb('ledger');
    await ensureIndexes(db);
    const budget: Budgets = { imdb: { costUsd: 0.02, dailyBudgetUsd: 0.04 } };
    const [a, b] = [
      new SpendLedger((await otherClient()).db(db.databaseName), budget),
      new SpendLedger((await otherClient()).db(db.databaseName), budget),
    ];
    const held = await b.reserve('imdb', { now: at });
    expect((await a.reserve('imdb', { now: at })).ok).toBe(true);
    // `a` now remembers a spent budget; `b` gives its call back.
    expect(await a.reserve('imdb', { now: at })).toEqual({
      ok: false,
      reason: 'budget_exhausted',
      period: 'day',
    });
    if (!held.ok) throw new Error('expected a reservation');
    expect(await b.release(held.reservation, at)).toBe(true);
    expect((await a.reserve('imdb', { now: at })).ok).toBe(true);
    expect((await a.remaining('imdb', at)).day?.spentUsd).toBe(0.04);
  });

  it('when a source has no budget (TMDb), then every reservation succeeds without touching the ledger', async () => {
    const { db } = await testDb('ledger');
    await ensureIndexes(db);
    const ledger = new SpendLedger(db, budgetsFromConfig(loadConfig({}).sources));
    const result = await ledger.reserve('tmdb', { now: at });
    expect(result).toMatchObject({ ok: true, reservation: { scopes: [] } });
    expect(await db.collection('spend_ledger').countDocuments()).toBe(0);
    expect(await ledger.remaining('tmdb', at)).toEqual({
      source: 'tmdb',
      day: null,
      month: null,
      quota: null,
    });
  });
});
