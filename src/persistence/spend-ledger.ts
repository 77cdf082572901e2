import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import type { Config } from '../config.js';
import type { SourceName } from '../domain/movie.js';
import { AppendLog, type LogEntry } from './append-log.js';
import { collectionNames } from './collections.js';
import { isDuplicateKeyError } from './mongo-errors.js';

/**
 * Per-source daily and monthly budgets (USD) and daily request quotas, reserved before
 * each paid call so that any number of instances never overspend together. Amounts are
 * integer micro-dollars so that a thousand $0.001 calls add up to exactly $1.
 *
 * Each source × period is an append-only log in `spend_ledger` (`omdb:day:2026-11-23#17`
 * holds the running totals after the 17th entry); see append-log.ts for why it is not a
 * counter document. The `imdb` source is the IMDb page fetched through Zyte, so its
 * budget is the Zyte budget.
 */

/** Limits of one paying source; a missing limit is no limit. */
export interface SourceBudget {
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

export type ExhaustedPeriod = 'day' | 'month' | 'quota';

export type ReserveResult = { ok: true; reservation: Reservation } | { ok: false; reason: 'budget_exhausted'; period: ExhaustedPeriod };

/** What is left of one source's budgets, for the budget-remaining gauge. */
export interface BudgetRemaining {
  source: SourceName;
  day: { limitUsd: number; spentUsd: number; remainingUsd: number } | null;
  month: { limitUsd: number; spentUsd: number; remainingUsd: number } | null;
  quota: { limit: number; used: number; remaining: number } | null;
}

interface LedgerEntry extends LogEntry {
  kind: 'reserve' | 'release';
  reservationId: string;
  deltaMicros: number;
  deltaRequests: number;
  /** Running totals after this entry. */
  spentMicros: number;
  requests: number;
  at: Date;
}

/** Ledger entries outlive their period by this much, so that last month stays readable. */
const retentionMs = 62 * 24 * 3600 * 1000;

const micros = (usd: number): number => Math.round(usd * 1_000_000);
const usd = (m: number): number => m / 1_000_000;

/** UTC calendar day and month of an instant: the budget periods. */
export function budgetPeriods(now: Date): { day: string; month: string } {
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
    imdb: { costUsd: sources.zyte.costUsd, dailyBudgetUsd: sources.zyte.dailyBudgetUsd, monthlyBudgetUsd: sources.zyte.monthlyBudgetUsd },
  };
}

/** The shared spend ledger; one per process, built in main.ts with the database and the budgets. */
export class SpendLedger {
  private readonly entries: Collection<LedgerEntry>;
  private readonly log: AppendLog<LedgerEntry>;

  constructor(
    db: Db,
    private readonly budgets: Budgets,
  ) {
    this.entries = db.collection<LedgerEntry>(collectionNames.spendLedger);
    this.log = new AppendLog(this.entries);
  }

  /** Reserves one call of `source` (daily, then monthly); data, never an exception, when a budget is spent. */
  async reserve(source: SourceName, options: { now?: Date; costUsd?: number } = {}): Promise<ReserveResult> {
    const now = options.now ?? new Date();
    const budget = this.budgets[source];
    const id = randomUUID();
    const costMicros = micros(options.costUsd ?? budget?.costUsd ?? 0);
    const reservation: Reservation = { id, source, costMicros, scopes: [], at: now };
    if (budget === undefined) return { ok: true, reservation };
    const periods = budgetPeriods(now);

    if (budget.dailyBudgetUsd !== undefined || budget.dailyRequestQuota !== undefined) {
      const scope = `${source}:day:${periods.day}`;
      let refused: ExhaustedPeriod = 'day';
      const result = await this.log.append(scope, (head) => {
        const spent = head?.spentMicros ?? 0;
        const requests = head?.requests ?? 0;
        if (budget.dailyRequestQuota !== undefined && requests + 1 > budget.dailyRequestQuota) {
          refused = 'quota';
          return null;
        }
        if (budget.dailyBudgetUsd !== undefined && spent + costMicros > micros(budget.dailyBudgetUsd)) {
          refused = 'day';
          return null;
        }
        return this.entry('reserve', id, costMicros, 1, head, now);
      });
      if (!result.appended) return { ok: false, reason: 'budget_exhausted', period: refused };
      reservation.scopes.push(scope);
    }

    if (budget.monthlyBudgetUsd !== undefined) {
      const scope = `${source}:month:${periods.month}`;
      const limit = micros(budget.monthlyBudgetUsd);
      const result = await this.log.append(scope, (head) =>
        (head?.spentMicros ?? 0) + costMicros > limit ? null : this.entry('reserve', id, costMicros, 1, head, now),
      );
      if (!result.appended) {
        // Give the daily reservation back: the call will not happen.
        await this.refund(reservation, now);
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
  async release(reservation: Reservation, now = new Date()): Promise<boolean> {
    if (reservation.scopes.length === 0) return false;
    try {
      // A marker whose unique _id makes the refund happen once, however often it is asked for.
      const expiresAt = new Date(now.getTime() + retentionMs);
      await this.entries.insertOne({ _id: `release:${reservation.id}`, kind: 'release', at: now, expiresAt } as never);
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
    await this.refund(reservation, now);
    return true;
  }

  /** What is left today and this month, for the remaining-budget gauge and the CLI. */
  async remaining(source: SourceName, now = new Date()): Promise<BudgetRemaining> {
    const budget = this.budgets[source];
    const periods = budgetPeriods(now);
    const result: BudgetRemaining = { source, day: null, month: null, quota: null };
    if (budget === undefined) return result;
    const dayHead = await this.log.readHead(`${source}:day:${periods.day}`);
    if (budget.dailyBudgetUsd !== undefined) {
      const spent = dayHead?.spentMicros ?? 0;
      const limit = micros(budget.dailyBudgetUsd);
      result.day = { limitUsd: usd(limit), spentUsd: usd(spent), remainingUsd: usd(Math.max(0, limit - spent)) };
    }
    if (budget.dailyRequestQuota !== undefined) {
      const used = dayHead?.requests ?? 0;
      result.quota = { limit: budget.dailyRequestQuota, used, remaining: Math.max(0, budget.dailyRequestQuota - used) };
    }
    if (budget.monthlyBudgetUsd !== undefined) {
      const spent = (await this.log.readHead(`${source}:month:${periods.month}`))?.spentMicros ?? 0;
      const limit = micros(budget.monthlyBudgetUsd);
      result.month = { limitUsd: usd(limit), spentUsd: usd(spent), remainingUsd: usd(Math.max(0, limit - spent)) };
    }
    return result;
  }

  private async refund(reservation: Reservation, now: Date): Promise<void> {
    for (const scope of reservation.scopes) {
      await this.log.append(scope, (head) => this.entry('release', reservation.id, -reservation.costMicros, -1, head, now));
    }
  }

  private entry(kind: LedgerEntry['kind'], reservationId: string, deltaMicros: number, deltaRequests: number, head: LedgerEntry | null, at: Date): Omit<LedgerEntry, '_id' | 'scope' | 'seq' | 'writtenAt'> {
    return {
      expiresAt: new Date(at.getTime() + retentionMs),
      kind,
      reservationId,
      deltaMicros,
      deltaRequests,
      spentMicros: (head?.spentMicros ?? 0) + deltaMicros,
      requests: (head?.requests ?? 0) + deltaRequests,
      at,
    };
  }
}
