import type { Config } from '../config.js';
import type { SourceName } from '../domain/movie.js';
import type { Logger } from '../logger.js';
import type { ResolverMetrics } from '../metrics/metrics.js';
import { createSources } from '../sources/create-sources.js';
import { ResolutionChain } from './chain.js';
import { GuardedSource } from './guarded-source.js';
import type { BudgetPort, LookupCachePort, RateLimitPort, RequestQuotaPort } from './ports.js';

/** How many paid requests one lookup of a source can make at most (reserved up front). */
const maxRequestsPerLookup: Record<SourceName, number> = { tmdb: 12, omdb: 2, imdb: 1 };

/** The tiered chain with the guarded sources it was built from. */
export interface BuiltChain {
  chain: ResolutionChain;
  guarded: ReadonlyMap<SourceName, GuardedSource>;
  /** Stops the circuit breakers' timers. */
  shutdown(): void;
}

/** The chain's ports: src/service/resolver-chain.ts adapts the MongoDB-backed implementations. */
export interface BuildChainDeps {
  cache: LookupCachePort;
  budget: BudgetPort;
  limiter: RateLimitPort;
  /** Daily request quotas, taken per request sent (none: no quota). */
  quota?: RequestQuotaPort;
  logger: Logger;
  metrics?: ResolverMetrics;
}

/**
 * Builds the sources (behind the shared rate limit), one GuardedSource per tier (cache,
 * budget, breaker, metrics) and the ResolutionChain. One per process: the consumer, the
 * enrichment job and the console share it, so they honour the same budgets, rate limits and breakers.
 */
export function buildChain(config: Config, deps: BuildChainDeps): BuiltChain {
  const { cache, budget, limiter, quota, logger, metrics } = deps;
  const sources = createSources(config, logger, {
    // Short in-process retries ride out a blip; longer trouble goes through the retry topic.
    retry: { maxAttempts: 2, baseDelayMs: 200, maxDelayMs: 2_000 },
    beforeRequest: async (source) => {
      const permit = await limiter.acquire(source);
      if (!permit.acquired) throw new Error(`${source}: no rate-limit slot within the wait limit`);
      if (quota !== undefined && !(await quota.take(source)))
        throw Object.assign(new Error(`${source}: daily request quota spent`), { code: 'EQUOTA' });
    },
  });
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
  return { chain, guarded, shutdown: () => guarded.forEach((g) => g.shutdown()) };
}
