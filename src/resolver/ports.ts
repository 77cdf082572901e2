import type { SourceName } from '../domain/movie.js';
import type { LookupOutcome } from '../sources/outcome.js';

/**
 * What the chain needs from the outside, as narrow interfaces: src/main.ts adapts the
 * MongoDB-backed implementations (src/persistence) to them, tests may pass their own.
 */

/** A cached lookup: the found outcome (without its attempts) or a remembered miss. */
export type CachedLookup = { kind: 'found'; outcome: Extract<LookupOutcome, { kind: 'found' }> } | { kind: 'not_found' };

export interface LookupCachePort {
  get(source: SourceName, identifier: string): Promise<CachedLookup | undefined>;
  setFound(source: SourceName, identifier: string, outcome: Extract<LookupOutcome, { kind: 'found' }>): Promise<void>;
  setMiss(source: SourceName, identifier: string): Promise<void>;
}

export type BudgetReservation = { ok: true; release(unusedUsd: number): Promise<void> } | { ok: false; period: string };

/** Reserves money atomically (shared by every instance) before a paid lookup. */
export interface BudgetPort {
  reserve(source: SourceName, usd: number, requests: number): Promise<BudgetReservation>;
}
