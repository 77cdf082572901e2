import type { MovieResolvedEvent, MovieStubEvent } from '../domain/movie-events.js';
import type { SourceName } from '../domain/movie.js';
import type { LookupOutcome, UpstreamAttempt } from '../sources/outcome.js';

/**
 * What the chain needs from the outside, as narrow interfaces: src/main.ts adapts the
 * MongoDB-backed implementations (src/persistence) to them, tests may pass their own.
 */

/** Why a nomination waits for a curator (stale_stub: escalated by housekeeping, never by the chain). */
export type ReviewReason = 'low_confidence' | 'ambiguous' | 'all_sources_failed' | 'stale_stub';

/** What happened at one tier for one nomination (feeds api_lookup_metrics and the logs). */
export interface TierStep {
  source: SourceName;
  level: number;
  result: LookupOutcome['kind'] | 'skipped' | 'disabled' | 'critical_only' | 'not_configured';
  /** Why the chain moved on from this tier (null for the tier that resolved the film). */
  reasonForFallback: string | null;
  confidence?: number;
  strategy?: string;
  fromCache: boolean;
  attempts: UpstreamAttempt[];
}

/** Where resolved and stub events go (Kafka in the service: src/kafka/event-publisher.ts). */
export interface EventPublisher {
  resolved(key: string, event: MovieResolvedEvent): Promise<void>;
  stub(key: string, event: MovieStubEvent): Promise<void>;
}

/** The rate limit shared by every instance: a permit before each upstream request. */
export interface RateLimitPort {
  acquire(source: SourceName): Promise<{ acquired: boolean }>;
}

/** A cached lookup: the found outcome (without its attempts), a remembered miss, or a page given up as blocked. */
export type CachedLookup =
  | { kind: 'found'; outcome: Extract<LookupOutcome, { kind: 'found' }> }
  | { kind: 'not_found' }
  | { kind: 'blocked' };

export interface LookupCachePort {
  get(source: SourceName, identifier: string): Promise<CachedLookup | undefined>;
  setFound(
    source: SourceName,
    identifier: string,
    outcome: Extract<LookupOutcome, { kind: 'found' }>,
  ): Promise<void>;
  setMiss(source: SourceName, identifier: string): Promise<void>;
  setBlocked(source: SourceName, identifier: string): Promise<void>;
}

export type BudgetReservation =
  { ok: true; release(unusedUsd: number): Promise<void> } | { ok: false; period: string };

/** Reserves money atomically (shared by every instance) before a paid lookup. */
export interface BudgetPort {
  reserve(source: SourceName, usd: number, requests: number): Promise<BudgetReservation>;
}

/** What a curator or an SRE reads of a parked nomination without decoding its message. */
export interface ParkedFilm {
  festival: string;
  editionYear: number;
  category: string;
  title: string;
  year: number | null;
  imdbId: string | null;
}

/** A nomination whose transient failures outlived the retry horizon, kept until its source is healthy. */
export interface ParkedNomination {
  nominationId: string;
  /** The nomination as decoded when it was parked (absent on entries parked before it was kept). */
  film?: ParkedFilm;
  /**
   * The version parked (the nomination's producedAt): parking an older version of the same id
   * leaves a newer one in place (absent on entries parked before it was kept).
   */
  producedAt?: number;
  /** The tier whose failures parked it. */
  source: SourceName;
  reason: string;
  /** The first transient failure. */
  since: Date;
  parkedAt: Date;
  tierAttempts: Record<string, number>;
  /** The message exactly as consumed, re-published as it was when the nomination is re-driven. */
  key: Buffer | null;
  value: Buffer | null;
}

/** Where parked nominations are kept durably (one per nomination id, its newest version parked). */
export interface ParkingPort {
  /** Parks the entry unless a newer version of the same id is parked already. */
  park(entry: ParkedNomination): Promise<void>;
  /** The oldest parked nominations (of one source, or of all), at most `limit`, oldest first. */
  list(filter: { source?: SourceName }, limit: number): Promise<ParkedNomination[]>;
  get(nominationId: string): Promise<ParkedNomination | null>;
  /** Removes the entry; with `producedAt`, only that version (a newer one parked meanwhile stays). */
  remove(nominationId: string, producedAt?: number): Promise<void>;
  /** How many are parked, by source. */
  counts(): Promise<Partial<Record<SourceName, number>>>;
}

/** The daily request quota of a source, taken per request really sent (retries included). */
export interface RequestQuotaPort {
  /** True when one more request may be sent today; false once the quota is spent. */
  take(source: SourceName): Promise<boolean>;
}
