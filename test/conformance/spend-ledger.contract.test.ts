/**
 * The spend ledger's contract on the real server: any number of instances reserving at
 * once never exceed a budget or a quota, a refund happens once, a refused month gives the
 * day back, and what is left is what was reserved.
 */
import { describe, expect, it } from 'vitest';
import { SpendLedger, type Budgets } from '../../src/persistence/spend-ledger.js';
import { race, sharedStore } from './store-fixture.js';

const at = new Date('2026-11-23T12:00:00Z');

describe('spend ledger contract', () => {
  it('when 60 reservations from 4 instances race a budget worth 10 calls, then exactly 10 are granted and the counter says $0.20', async () => {
    const { views } = await sharedStore(4, 'c-ledger');
    const budgets: Budgets = { imdb: { costUsd: 0.02, dailyBudgetUsd: 0.2, monthlyBudgetUsd: 10 } };
    const ledgers = views.map((db) => new SpendLedger(db, budgets));
    const results = await race(views, 60, (_db, i) =>
      ledgers[i % ledgers.length]!.reserve('imdb', { now: at }),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.period))).toEqual(Array(50).fill('day'));
    const left = await ledgers[0]!.remaining('imdb', at);
    expect(left.day).toEqual({ limitUsd: 0.2, spentUsd: 0.2, remainingUsd: 0 });
    expect(left.month?.spentUsd).toBe(0.2);
  });

  it('when 40 reservations race a daily quota of 7 requests, then exactly 7 are granted and the rest are refused with period quota', async () => {
    const { views } = await sharedStore(3, 'c-ledger');
    const budgets: Budgets = { omdb: { costUsd: 0.001, dailyRequestQuota: 7, dailyBudgetUsd: 5 } };
    const ledgers = views.map((db) => new SpendLedger(db, budgets));
    const results = await race(views, 40, (_db, i) =>
      ledgers[i % ledgers.length]!.reserve('omdb', { now: at }),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(7);
    expect(new Set(results.flatMap((r) => (r.ok ? [] : [r.period])))).toEqual(new Set(['quota']));
    expect((await ledgers[0]!.remaining('omdb', at)).quota).toEqual({ limit: 7, used: 7, remaining: 0 });
  });

  it('when one reservation is released 20 times at once from 4 instances, then it is refunded exactly once', async () => {
    const { views } = await sharedStore(4, 'c-ledger');
    const budgets: Budgets = { imdb: { costUsd: 0.02, dailyBudgetUsd: 1, monthlyBudgetUsd: 10 } };
    const ledgers = views.map((db) => new SpendLedger(db, budgets));
    const granted = await Promise.all([
      ledgers[0]!.reserve('imdb', { now: at }),
      ledgers[1]!.reserve('imdb', { now: at }),
    ]);
    const first = granted[0];
    if (!first.ok) throw new Error('expected a reservation');
    const released = await race(views, 20, (_db, i) =>
      ledgers[i % ledgers.length]!.release(first.reservation),
    );
    expect(released.filter(Boolean)).toHaveLength(1);
    const left = await ledgers[2]!.remaining('imdb', at);
    expect(left.day?.spentUsd).toBe(0.02);
    expect(left.month?.spentUsd).toBe(0.02);
  });

  it('when the monthly budget is what runs out under a race, then no day is left charged for a refused call', async () => {
    const { views } = await sharedStore(3, 'c-ledger');
    const budgets: Budgets = { imdb: { costUsd: 0.02, dailyBudgetUsd: 1, monthlyBudgetUsd: 0.1 } };
    const ledgers = views.map((db) => new SpendLedger(db, budgets));
    const results = await race(views, 30, (_db, i) =>
      ledgers[i % ledgers.length]!.reserve('imdb', { now: at }),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(new Set(results.flatMap((r) => (r.ok ? [] : [r.period])))).toEqual(new Set(['month']));
    const left = await ledgers[0]!.remaining('imdb', at);
    expect(left.month?.spentUsd).toBe(0.1);
    expect(left.day?.spentUsd).toBe(0.1);
  });
});
