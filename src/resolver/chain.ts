import type { ImportType, NormalizedMovie, SourceName } from '../domain/movie.js';
import { planTiers, type TierSettings } from '../domain/tier-plan.js';
import type { CandidateSummary, LookupOutcome } from '../sources/outcome.js';
import type { LookupQuery } from '../sources/source.js';
import type { CachedMisses, GuardedSource } from './guarded-source.js';
import type { ReviewReason, TierStep } from './ports.js';

/** What the chain itself sends for review. */
type ChainReviewReason = Exclude<ReviewReason, 'stale_stub'>;

type Found = Extract<LookupOutcome, { kind: 'found' }>;

/** The chain's verdict for one nomination. */
export type ChainResult =
  | {
      kind: 'resolved';
      source: SourceName;
      importType: Exclude<ImportType, 'stub'>;
      movie: NormalizedMovie;
      confidence: number;
      strategy: string;
      steps: TierStep[];
    }
  | {
      kind: 'stub';
      /** all_sources_failed, or low_confidence / ambiguous when a match below the accept threshold waits for a curator. */
      review: { reason: ChainReviewReason; candidates: CandidateSummary[] };
      steps: TierStep[];
    }
  | {
      kind: 'retry';
      source: SourceName;
      reason: string;
      /**
       * The per-tier counter this failure adds to (`tmdb`, `imdb.blocked`…), or null when it
       * spends no attempt: an open circuit, where the message only waits for the breaker.
       */
      counter: string | null;
      /** How long to wait at least: the upstream's Retry-After, or until the breaker may try again. */
      waitMs?: number;
      steps: TierStep[];
    }
  | { kind: 'auth_failed'; source: SourceName; reason: string; steps: TierStep[] };

/** Passes that may end on a blocked page before the tier is given up (Zyte charges every blocked fetch). */
const blockedPageMaxAttempts = 2;

export interface ChainSettings {
  tiers: TierSettings;
  acceptThreshold: number;
  reviewThreshold: number;
}

export interface ResolveOptions {
  critical: boolean;
  /** Transient failures per tier counter on earlier passes (x-retry-tiers); none on a first delivery. */
  tierAttempts?: Readonly<Record<string, number>>;
  /**
   * Move on to the next tier after a transient failure instead of asking for a retry: only
   * when the operator chose RETRY_EXHAUSTED_POLICY=fall_through and the retry horizon passed.
   */
  fallThroughTransient?: boolean;
  /** 'recheck' asks a source again where the cache remembers a miss (the enrichment job). Default 'trust'. */
  cachedMisses?: CachedMisses;
  /** Kept for callers that count passes; the chain no longer reads it. */
  attempt?: number;
}

/**
 * The tiered fallback chain. "Not found" moves to the next tier; a transient failure asks
 * for a retry of this tier instead of downgrading the film (the processor owns the retry
 * horizon and what happens after it); an auth failure stops the chain so the operator can act.
 */
export class ResolutionChain {
  constructor(
    private readonly sources: ReadonlyMap<SourceName, GuardedSource>,
    private readonly settings: ChainSettings,
  ) {}

  async resolve(query: LookupQuery, options: ResolveOptions): Promise<ChainResult> {
    const steps: TierStep[] = [];
    const candidates: CandidateSummary[] = [];
    let doubtful: Found | undefined;

    for (const tier of planTiers(this.settings.tiers, options.critical)) {
      if (!tier.run) {
        steps.push({
          source: tier.source,
          level: tier.level,
          result: tier.reason,
          reasonForFallback: `tier_${tier.reason}`,
          fromCache: false,
          attempts: [],
        });
        continue;
      }
      const guarded = this.sources.get(tier.source);
      if (guarded === undefined) {
        steps.push({
          source: tier.source,
          level: tier.level,
          result: 'not_configured',
          reasonForFallback: 'tier_not_configured',
          fromCache: false,
          attempts: [],
        });
        continue;
      }
      const outcome = await guarded.lookup(
        query,
        options.cachedMisses === undefined ? {} : { cachedMisses: options.cachedMisses },
      );
      const step: TierStep = {
        source: tier.source,
        level: tier.level,
        result: outcome.kind,
        reasonForFallback: null,
        fromCache: 'fromCache' in outcome && outcome.fromCache === true,
        attempts: outcome.attempts,
      };
      steps.push(step);

      if (outcome.kind === 'found') {
        step.confidence = outcome.confidence;
        step.strategy = outcome.strategy;
        candidates.push(...outcome.candidates);
        if (outcome.certain && outcome.confidence >= this.settings.acceptThreshold) {
          return {
            kind: 'resolved',
            source: tier.source,
            importType: guarded.source.importType,
            movie: outcome.movie,
            confidence: outcome.confidence,
            strategy: outcome.strategy,
            steps,
          };
        }
        if (
          outcome.confidence >= this.settings.reviewThreshold &&
          (doubtful === undefined || outcome.confidence > doubtful.confidence)
        ) {
          doubtful = outcome;
        }
        step.reasonForFallback =
          outcome.confidence >= this.settings.reviewThreshold ? 'uncertain_match' : 'low_confidence';
        continue;
      }

      if (outcome.kind === 'skipped' && outcome.reason === 'circuit_open') {
        // Spends nothing: the message waits until the breaker lets a request through.
        if (options.fallThroughTransient === true) {
          step.reasonForFallback = 'transient_retries_exhausted';
          continue;
        }
        return {
          kind: 'retry',
          source: tier.source,
          reason: outcome.detail,
          counter: null,
          waitMs: guarded.circuitWaitMs(),
          steps,
        };
      }
      if (outcome.kind === 'transient' || outcome.kind === 'blocked') {
        const counter = outcome.kind === 'blocked' ? `${tier.source}.blocked` : tier.source;
        const before = options.tierAttempts?.[counter] ?? 0;
        if (outcome.kind === 'blocked' && before + 1 >= blockedPageMaxAttempts) {
          // A page still blocked on its second fetch is given up: each fetch is charged, so
          // the film's other nominations do not fetch it again for a while either.
          await guarded.rememberBlocked(query);
          step.reasonForFallback = 'blocked_page';
          continue;
        }
        if (options.fallThroughTransient === true) {
          step.reasonForFallback = 'transient_retries_exhausted';
          continue;
        }
        const waitMs = outcome.kind === 'transient' ? outcome.retryAfterMs : undefined;
        return {
          kind: 'retry',
          source: tier.source,
          reason: outcome.reason,
          counter,
          ...(waitMs === undefined ? {} : { waitMs }),
          steps,
        };
      }

      switch (outcome.kind) {
        case 'auth_failed':
          return { kind: 'auth_failed', source: tier.source, reason: outcome.reason, steps };
        case 'not_found':
          candidates.push(...outcome.candidates);
          step.reasonForFallback = 'not_found';
          break;
        case 'quota_exhausted':
          step.reasonForFallback = 'quota_exhausted';
          break;
        case 'invalid_response':
          step.reasonForFallback = 'invalid_response';
          break;
        case 'skipped':
          step.reasonForFallback = outcome.reason;
          break;
      }
    }

    // A match below the accept threshold (or one of two close candidates) is not stored as
    // certain: the film stays a stub and its candidates wait for a curator.
    if (doubtful !== undefined) {
      const close =
        doubtful.candidates.filter((c) => c.confidence >= this.settings.reviewThreshold).length > 1;
      return { kind: 'stub', review: { reason: close ? 'ambiguous' : 'low_confidence', candidates }, steps };
    }
    return { kind: 'stub', review: { reason: 'all_sources_failed', candidates }, steps };
  }
}
