import type { Db } from 'mongodb';
import type { Config } from '../config.js';
import type { SourceName } from '../domain/movie.js';
import type { Logger } from '../logger.js';
import type { ResolverMetrics } from '../metrics/metrics.js';
import { LookupCache } from '../persistence/lookup-cache.js';
import { SharedRateLimiter } from '../persistence/rate-limiter.js';
import { budgetPort, cachePort } from '../persistence/resolver-ports.js';
import { budgetsFromConfig, SpendLedger } from '../persistence/spend-ledger.js';
import { createSources } from '../sources/create-sources.js';
import { ResolutionChain } from './chain.js';
import { GuardedSource } from './guarded-source.js';
import type { LookupCachePort } from './ports.js';

/** How many paid requests one lookup of a source can make at most (reserved up front). */
const maxRequestsPerLookup: Record<SourceName, number> = { tmdb: 12, omdb: 2, imdb: 1 };

/** The tiered chain with everything it was built from. */
export interface BuiltChain {
  chain: ResolutionChain;
  guarded: ReadonlyMap<SourceName, GuardedSource>;
  ledger: SpendLedger;
  /** Stops the circuit breakers' timers. */
  shutdown(): void;
}

export interface BuildChainDeps {
  db: Db;
  logger: Logger;
  metrics?: ResolverMetrics;
  /**
   * 'recheck' ignores remembered misses (found answers are still used): the enrichment job
   * asks again precisely because a source may have learnt the film since. Default 'trust'.
   */
  cachedMisses?: 'trust' | 'recheck';
}

/** A cache port that forgets remembered misses but keeps (and still records) everything else. */
function recheckingMisses(port: LookupCachePort): LookupCachePort {
  return {
    ...port,
    async get(source, identifier) {
      const cached = await port.get(source, identifier);
      return cached?.kind === 'found' ? cached : undefined;
    },
  };
}

/**
 * Builds the sources (behind the shared rate limit), one GuardedSource per tier (cache,
 * budget, breaker, metrics) and the ResolutionChain, the same way for the consumer and the
 * enrichment job, so both honour the same budgets and rate limits.
 */
export function buildChain(config: Config, deps: BuildChainDeps): BuiltChain {
  const { db, logger, metrics } = deps;
  const limiter = new SharedRateLimiter(db, {
    perSecond: {
      tmdb: config.sources.tmdb.ratePerSecond,
      omdb: config.sources.omdb.ratePerSecond,
      imdb: config.sources.zyte.ratePerSecond,
    },
  });
  const sources = createSources(config, logger, {
    // Short in-process retries ride out a blip; longer trouble goes through the retry topic.
    retry: { maxAttempts: 2, baseDelayMs: 200, maxDelayMs: 2_000 },
    beforeRequest: async (source) => {
      const permit = await limiter.acquire(source);
      if (!permit.acquired) throw new Error(`${source}: no rate-limit slot within the wait limit`);
    },
  });
  const ledger = new SpendLedger(db, budgetsFromConfig(config.sources));
  const sharedCache = cachePort(new LookupCache(db, config.cache));
  const cache = deps.cachedMisses === 'recheck' ? recheckingMisses(sharedCache) : sharedCache;
  const budget = budgetPort(ledger);
  const guarded = new Map<SourceName, GuardedSource>();
  for (const name of config.chain.order) {
    guarded.set(
      name,
      new GuardedSource(sources[name], {
        cache,
        budget,
        maxRequestsPerLookup: maxRequestsPerLookup[name],
        breaker: { errorThresholdPercentage: 50, resetTimeoutMs: 10_000, volumeThreshold: 10 },
        ...(metrics === undefined ? {} : { metrics }),
        logger: logger.child({ component: 'guard', source: name }),
      }),
    );
  }
  const chain = new ResolutionChain(guarded, {
    tiers: {
      order: config.chain.order,
      disabled: config.chain.disabled,
      criticalOnly: config.chain.criticalOnly,
    },
    acceptThreshold: config.chain.acceptThreshold,
    reviewThreshold: config.chain.reviewThreshold,
  });
  return { chain, guarded, ledger, shutdown: () => guarded.forEach((g) => g.shutdown()) };
}
