import CircuitBreaker from 'opossum';
import type { SourceName } from '../domain/movie.js';
import { normaliseTitle } from '../domain/matching/index.js';
import { SingleFlight } from '../domain/single-flight.js';
import type { Logger } from '../logger.js';
import type { ResolverMetrics } from '../metrics/metrics.js';
import { isImdbId } from '../domain/nomination.js';
import type { CandidateSummary, LookupOutcome, UpstreamAttempt } from '../sources/outcome.js';
import type { LookupContext, LookupQuery, MovieSource } from '../sources/source.js';
import type { BudgetPort, LookupCachePort } from './ports.js';

/** A source lookup as the chain sees it: an upstream outcome, or a tier skipped before any call. */
export type GuardedOutcome =
  | (LookupOutcome & { fromCache?: boolean })
  | {
      kind: 'skipped';
      reason: 'budget_exhausted' | 'circuit_open' | 'blocked_page';
      detail: string;
      attempts: [];
    };

/** Whether a remembered miss (or a page given up as blocked) answers a lookup ('trust') or the source is asked again ('recheck'). */
export type CachedMisses = 'trust' | 'recheck';

export interface GuardOptions {
  cache?: LookupCachePort;
  budget?: BudgetPort;
  /** How many paid requests one lookup may make at most (reserved up front, unused part released). */
  maxRequestsPerLookup: number;
  breaker: { errorThresholdPercentage: number; resetTimeoutMs: number; volumeThreshold: number };
  metrics?: ResolverMetrics;
  logger: Logger;
}

/** One upstream request sequence of a lookup, cached under its own identifier. */
interface LookupStep {
  identifier: string;
  call: (ctx?: LookupContext) => Promise<LookupOutcome>;
}

/** Thrown inside the breaker so that a transient outcome counts as a failure. */
class TransientOutcome extends Error {
  constructor(readonly outcome: LookupOutcome) {
    super('transient upstream outcome');
  }
}

/** The identifier a lookup is cached and coalesced under: the IMDb ID, else title and year. */
function lookupIdentifier(query: LookupQuery): string {
  if (query.imdbId !== undefined) return query.imdbId;
  return `title:${normaliseTitle(query.title)}:${query.year ?? 'unknown'}`;
}

/**
 * Wraps one source with what every tier needs: the lookup cache, coalescing of concurrent
 * lookups of one film, the shared budget and a circuit breaker, and records metrics.
 */
export class GuardedSource {
  readonly name: SourceName;
  private readonly flight = new SingleFlight<GuardedOutcome>();
  private readonly breaker: CircuitBreaker<[LookupStep], LookupOutcome>;
  private openedAt = 0;
  private lastSuccess = 0;

  constructor(
    readonly source: MovieSource,
    private readonly options: GuardOptions,
  ) {
    this.name = source.name;
    this.breaker = new CircuitBreaker(
      async (step: LookupStep) => {
        const outcome = await step.call();
        if (outcome.kind === 'transient') throw new TransientOutcome(outcome);
        return outcome;
      },
      {
        timeout: false,
        errorThresholdPercentage: options.breaker.errorThresholdPercentage,
        resetTimeout: options.breaker.resetTimeoutMs,
        volumeThreshold: options.breaker.volumeThreshold,
      },
    );
    const gauge = options.metrics?.circuitState;
    gauge?.set({ source: this.name }, 0);
    this.breaker.on('success', () => (this.lastSuccess = Date.now()));
    this.breaker.on('open', () => {
      this.openedAt = Date.now();
      gauge?.set({ source: this.name }, 1);
      options.logger.warn({ source: this.name }, 'circuit opened: source is failing, lookups held back');
    });
    this.breaker.on('close', () => gauge?.set({ source: this.name }, 0));
  }

  /**
   * `cachedMisses: 'recheck'` ignores remembered misses (found answers are still used): the
   * enrichment job asks again precisely because a source may have learnt the film since.
   */
  lookup(query: LookupQuery, options: { cachedMisses?: CachedMisses } = {}): Promise<GuardedOutcome> {
    const mode = options.cachedMisses ?? 'trust';
    // A recheck must not be coalesced with a lookup that would answer the remembered miss.
    const key = mode === 'recheck' ? `recheck|${lookupIdentifier(query)}` : lookupIdentifier(query);
    return this.flight.run(key, () => this.lookupOnce(query, mode));
  }

  /**
   * Remembers that the film's page stayed blocked through every fetch the chain allows: other
   * nominations of the film skip the tier (a stub, as this one) until the entry expires, and
   * only a recheck (the enrichment job) pays for it sooner.
   */
  async rememberBlocked(query: LookupQuery): Promise<void> {
    await this.options.cache?.setBlocked(this.name, lookupIdentifier(query));
  }

  /** How long until an open circuit lets a trial request through (0 when it is closed). */
  circuitWaitMs(now = Date.now()): number {
    if (!this.breaker.opened) return 0;
    return Math.max(1000, this.openedAt + this.options.breaker.resetTimeoutMs - now);
  }

  /** False while the circuit is open. */
  get available(): boolean {
    return !this.breaker.opened;
  }

  /** Epoch ms of the last answer that was not a transient failure (0: none yet). */
  get lastSuccessAt(): number {
    return this.lastSuccess;
  }

  shutdown(): void {
    this.breaker.shutdown();
  }

  /**
   * By IMDb ID first, then by title when the ID is unknown to the source (the meaning of
   * MovieSource.lookup), one step at a time so that each step's answer is stored in the cache
   * the moment it arrives: a crash between the two steps, or after the lookup but before the
   * nomination is recorded, never pays for the same answer again when the message comes back.
   */
  private async lookupOnce(query: LookupQuery, mode: CachedMisses): Promise<GuardedOutcome> {
    const steps: LookupStep[] =
      query.imdbId !== undefined && isImdbId(query.imdbId)
        ? [
            {
              identifier: query.imdbId,
              call: (ctx) => this.source.lookupByImdbId(query.imdbId ?? '', query, ctx),
            },
            ...(this.source.titleLookupAfterIdMiss
              ? [
                  {
                    identifier: `${query.imdbId}:by_title`,
                    call: (ctx?: LookupContext) => this.source.lookupByTitle(query, ctx),
                  },
                ]
              : []),
          ]
        : [{ identifier: lookupIdentifier(query), call: (ctx) => this.source.lookupByTitle(query, ctx) }];
    const attempts: UpstreamAttempt[] = [];
    const candidates: CandidateSummary[] = [];
    let allCached = true;
    for (const step of steps) {
      const outcome = await this.runStep(step, mode);
      attempts.push(...outcome.attempts);
      allCached &&= 'fromCache' in outcome && outcome.fromCache === true;
      if (outcome.kind === 'not_found') {
        candidates.push(...outcome.candidates);
        continue;
      }
      if (outcome.kind === 'found') return { ...outcome, attempts, fromCache: allCached };
      return outcome.kind === 'skipped' ? outcome : { ...outcome, attempts };
    }
    return { kind: 'not_found', candidates, attempts, fromCache: allCached };
  }

  /** One upstream step: the cache, else the breaker, the budget and the source; the answer is cached before it is returned. */
  private async runStep(step: LookupStep, mode: CachedMisses): Promise<GuardedOutcome> {
    const { cache, budget, metrics } = this.options;
    const cached = await cache?.get(this.name, step.identifier);
    if (cached?.kind === 'blocked' && mode === 'trust') {
      metrics?.cacheHits.inc({ source: this.name, kind: 'blocked' });
      return {
        kind: 'skipped',
        reason: 'blocked_page',
        detail: `${this.name}: the page stayed blocked for an earlier nomination of this film`,
        attempts: [],
      };
    }
    if (cached?.kind === 'found' || (cached?.kind === 'not_found' && mode === 'trust')) {
      metrics?.cacheHits.inc({ source: this.name, kind: cached.kind === 'found' ? 'hit' : 'miss' });
      return cached.kind === 'found'
        ? { ...cached.outcome, attempts: [], fromCache: true }
        : { kind: 'not_found', candidates: [], attempts: [], fromCache: true };
    }
    metrics?.cacheMisses.inc({ source: this.name });

    if (this.breaker.opened) {
      return {
        kind: 'skipped',
        reason: 'circuit_open',
        detail: `${this.name} circuit is open after repeated transient failures`,
        attempts: [],
      };
    }

    const price = this.source.costPerRequestUsd;
    const reservedUsd = price * this.options.maxRequestsPerLookup;
    const reservation =
      price > 0 && budget !== undefined
        ? await budget.reserve(this.name, reservedUsd, this.options.maxRequestsPerLookup)
        : undefined;
    if (reservation !== undefined && !reservation.ok) {
      return {
        kind: 'skipped',
        reason: 'budget_exhausted',
        detail: `${this.name} ${reservation.period} budget exhausted`,
        attempts: [],
      };
    }

    const started = performance.now();
    const outcome = await this.fire(step);
    metrics?.lookupDuration.observe({ source: this.name }, (performance.now() - started) / 1000);

    // Durable before anything uses it: the answer was paid for.
    if (cache !== undefined) {
      if (outcome.kind === 'found') await cache.setFound(this.name, step.identifier, outcome);
      else if (outcome.kind === 'not_found') await cache.setMiss(this.name, step.identifier);
    }

    const charged = outcome.attempts.reduce((sum, a) => sum + a.costUsd, 0);
    if (reservation?.ok === true) await reservation.release(Math.max(0, reservedUsd - charged));
    if (metrics !== undefined) {
      if (charged > 0) metrics.costUsd.inc({ source: this.name }, charged);
      const strategy =
        outcome.kind === 'found' ? outcome.strategy : (outcome.attempts.at(-1)?.strategy ?? 'none');
      metrics.lookups.inc({ source: this.name, strategy, outcome: outcome.kind });
    }
    return outcome;
  }

  private async fire(step: LookupStep): Promise<LookupOutcome> {
    try {
      return await this.breaker.fire(step);
    } catch (error: unknown) {
      if (error instanceof TransientOutcome) return error.outcome;
      // opossum rejects with its own error while open or half-open and busy.
      if (this.breaker.opened || (error instanceof Error && /breaker is open/i.test(error.message))) {
        return { kind: 'transient', reason: `${this.name} circuit is open`, attempts: [] };
      }
      // A source must return outcomes as data; an exception here is a bug, reported as transient so the message is retried, not downgraded.
      this.options.logger.error(
        { err: error, source: this.name },
        'source threw instead of returning an outcome',
      );
      return { kind: 'transient', reason: `${this.name} lookup failed unexpectedly`, attempts: [] };
    }
  }
}
