import { randomUUID } from 'node:crypto';
import type { Collection, Db, Filter, UpdateFilter } from 'mongodb';
import type { Config } from '../config.js';
import type { SourceName } from '../domain/movie.js';
import { collectionNames } from './collections.js';
import { isDuplicateKeyError } from './mongo-errors.js';

/**
 * Per-source daily and monthly budgets (USD) and daily request quotas, reserved before
 * each paid call so that any number of instances never overspend together. Amounts are
 * integer micro-dollars so that a thousand $0.001 calls add up to exactly $1.
 *
 * One counter document per source × period in `spend_ledger` (`_id` `omdb:day:2026-11-23`),
 * reserved with one guarded `$inc`: the filter admits the document only while the call
 * still fits, so the server applies or refuses each reservation atomically, whatever the
 * number of racing instances. The first reservation of a period creates the counter by
 * upsert; when two race to create it, the loser's upsert fails on the `_id` and it retries
 * against the counter the winner made. A refund is a guarded `$inc` too, keyed by the
 * reservation id (`released` holds the ids refunded), so it happens once however often it
 * is asked for. The `imdb` source is the IMDb page fetched through Zyte, so its budget is
 * the Zyte budget.
 */

/** Limits of one paying source; a missing limit is no limit. */
interface SourceBudget {
  costUsd: number;
  dailyBudgetUsd?: number;
  monthlyBudgetUsd?: number;
  dailyRequestQuota?: number;
}

export type Budgets = Partial<Record<SourceName, SourceBudget>>;

/** A granted reservation: pass it to release() when the call turned out not to be charged. */
export interface Reservation {
  id: string;
  source: SourceName;
  costMicros: number;
  /** Ledger scopes charged, e.g. `imdb:day:2026-11-23`. Empty for a source without limits. */
  scopes: string[];
  at: Date;
}

type ExhaustedPeriod = 'day' | 'month' | 'quota';

export type ReserveResult =
  { ok: true; reservation: Reservation } | { ok: false; reason: 'budget_exhausted'; period: ExhaustedPeriod };

/** What is left of one source's budgets, for the budget-remaining gauge. */
export interface BudgetRemaining {
  source: SourceName;
  day: { limitUsd: number; spentUsd: number; remainingUsd: number } | null;
  month: { limitUsd: number; spentUsd: number; remainingUsd: number } | null;
  quota: { limit: number; used: number; remaining: number } | null;
}

interface Counter {
  _id: string;
  spentMicros: number;
  requests: number;
  /** Reservation ids refunded: a refund is applied once per id. */
  released: string[];
  expiresAt: Date;
}

/** Counters outlive their period by this much (TTL index), so that last month stays readable. */
const retentionMs = 62 * 24 * 3600 * 1000;

const micros = (usd: number): number => Math.round(usd * 1_000_000);
const usd = (m: number): number => m / 1_000_000;

/** UTC calendar day and month of an instant: the budget periods. */
function budgetPeriods(now: Date): { day: string; month: string } {
  const iso = now.toISOString();
  return { day: iso.slice(0, 10), month: iso.slice(0, 7) };
}

/** Budgets of the paying sources, from the configuration. */
export function budgetsFromConfig(sources: Config['sources']): Budgets {
  return {
    tmdb: { costUsd: sources.tmdb.costUsd },
    omdb: {
      costUsd: sources.omdb.costUsd,
      dailyBudgetUsd: sources.omdb.dailyBudgetUsd,
      monthlyBudgetUsd: sources.omdb.monthlyBudgetUsd,
      dailyRequestQuota: sources.omdb.dailyRequestQuota,
    },
    imdb: {
      costUsd: sources.zyte.costUsd,
      dailyBudgetUsd: sources.zyte.dailyBudgetUsd,
      monthlyBudgetUsd: sources.zyte.monthlyBudgetUsd,
    },
  };
}

/** The shared spend ledger; one per process, built in main.ts with the database and the budgets. */
export class SpendLedger {
  private readonly counters: Collection<Counter>;

  constructor(
    db: Db,
    private readonly budgets: Budgets,
  ) {
    this.counters = db.collection<Counter>(collectionNames.spendLedger);
  }

  /** Reserves one call of `source` (daily, then monthly); data, never an exception, when a budget is spent. */
  async reserve(source: SourceName, options: { now?: Date; costUsd?: number } = {}): Promise<ReserveResult> {
    const now = options.now ?? new Date();
    const budget = this.budgets[source];
    const costMicros = micros(options.costUsd ?? budget?.costUsd ?? 0);
    const reservation: Reservation = { id: randomUUID(), source, costMicros, scopes: [], at: now };
    if (budget === undefined) return { ok: true, reservation };
    const periods = budgetPeriods(now);

    if (budget.dailyBudgetUsd !== undefined || budget.dailyRequestQuota !== undefined) {
      const scope = `${source}:day:${periods.day}`;
      const guard: Filter<Counter> = {};
      if (budget.dailyBudgetUsd !== undefined)
        guard.spentMicros = { $lte: micros(budget.dailyBudgetUsd) - costMicros };
      if (budget.dailyRequestQuota !== undefined) guard.requests = { $lte: budget.dailyRequestQuota - 1 };
      // A call that could never fit is refused before the upsert, which would create the
      // counter with it.
      if (budget.dailyRequestQuota !== undefined && budget.dailyRequestQuota < 1)
        return { ok: false, reason: 'budget_exhausted', period: 'quota' };
      if (budget.dailyBudgetUsd !== undefined && costMicros > micros(budget.dailyBudgetUsd))
        return { ok: false, reason: 'budget_exhausted', period: 'day' };
      if (!(await this.take(scope, guard, costMicros, now))) {
        const counter = await this.counters.findOne({ _id: scope });
        const quotaSpent =
          budget.dailyRequestQuota !== undefined && (counter?.requests ?? 0) + 1 > budget.dailyRequestQuota;
        return { ok: false, reason: 'budget_exhausted', period: quotaSpent ? 'quota' : 'day' };
      }
      reservation.scopes.push(scope);
    }

    if (budget.monthlyBudgetUsd !== undefined) {
      const scope = `${source}:month:${periods.month}`;
      if (costMicros > micros(budget.monthlyBudgetUsd)) {
        await this.refund(reservation);
        return { ok: false, reason: 'budget_exhausted', period: 'month' };
      }
      if (
        !(await this.take(
          scope,
          { spentMicros: { $lte: micros(budget.monthlyBudgetUsd) - costMicros } },
          costMicros,
          now,
        ))
      ) {
        // Give the daily reservation back: the call will not happen.
        await this.refund(reservation);
        return { ok: false, reason: 'budget_exhausted', period: 'month' };
      }
      reservation.scopes.push(scope);
    }
    return { ok: true, reservation };
  }

  /**
   * Gives back a reservation whose call was not charged (Zyte 429/503/520, a request
   * never sent). Idempotent: releasing twice refunds once. Returns false on the repeat.
   */
  async release(reservation: Reservation, _now?: Date): Promise<boolean> {
    if (reservation.scopes.length === 0) return false;
    return this.refund(reservation);
  }

  /** What is left today and this month, for the remaining-budget gauge and the CLI. */
  async remaining(source: SourceName, now = new Date()): Promise<BudgetRemaining> {
    const budget = this.budgets[source];
    const periods = budgetPeriods(now);
    const result: BudgetRemaining = { source, day: null, month: null, quota: null };
    if (budget === undefined) return result;
    const dayCounter = await this.counters.findOne({ _id: `${source}:day:${periods.day}` });
    if (budget.dailyBudgetUsd !== undefined) {
      const spent = dayCounter?.spentMicros ?? 0;
      const limit = micros(budget.dailyBudgetUsd);
      result.day = {
        limitUsd: usd(limit),
        spentUsd: usd(spent),
        remainingUsd: usd(Math.max(0, limit - spent)),
      };
    }
    if (budget.dailyRequestQuota !== undefined) {
      const used = dayCounter?.requests ?? 0;
      result.quota = {
        limit: budget.dailyRequestQuota,
        used,
        remaining: Math.max(0, budget.dailyRequestQuota - used),
      };
    }
    if (budget.monthlyBudgetUsd !== undefined) {
      const spent =
        (await this.counters.findOne({ _id: `${source}:month:${periods.month}` }))?.spentMicros ?? 0;
      const limit = micros(budget.monthlyBudgetUsd);
      result.month = {
        limitUsd: usd(limit),
        spentUsd: usd(spent),
        remainingUsd: usd(Math.max(0, limit - spent)),
      };
    }
    return result;
  }

  /**
   * One guarded `$inc` on the counter of `scope`: true when it was applied. A counter that
   * does not exist yet is created by the upsert; one that exists but fails the guard makes
   * the upsert collide with its `_id` (E11000), which is a refusal, unless the collision
   * was with a counter created a moment ago by another instance: then the guarded update
   * alone decides.
   */
  private async take(scope: string, guard: Filter<Counter>, costMicros: number, now: Date): Promise<boolean> {
    const update: UpdateFilter<Counter> = {
      $inc: { spentMicros: costMicros, requests: 1 },
      $setOnInsert: { released: [], expiresAt: new Date(now.getTime() + retentionMs) },
    };
    try {
      const applied = await this.counters.updateOne({ _id: scope, ...guard }, update, { upsert: true });
      return applied.modifiedCount + applied.upsertedCount === 1;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const applied = await this.counters.updateOne(
      { _id: scope, ...guard },
      { $inc: { spentMicros: costMicros, requests: 1 } },
    );
    return applied.modifiedCount === 1;
  }

  /** Refunds every scope of the reservation not refunded yet; true for the call that refunded its first scope. */
  private async refund(reservation: Reservation): Promise<boolean> {
    // Every scope is refunded once (each guarded by the reservation id); the caller whose
    // refund of the first scope applied is the one that released it, so concurrent or
    // repeated releases answer true once, and one that stopped half-way is completed.
    let first = false;
    for (const [index, scope] of reservation.scopes.entries()) {
      const applied = await this.counters.updateOne(
        { _id: scope, released: { $ne: reservation.id } },
        { $inc: { spentMicros: -reservation.costMicros, requests: -1 }, $push: { released: reservation.id } },
      );
      if (index === 0) first = applied.modifiedCount === 1;
    }
    return first;
  }
}
