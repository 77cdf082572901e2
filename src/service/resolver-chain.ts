import type { Db } from 'mongodb';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { ResolverMetrics } from '../metrics/metrics.js';
import { LookupCache } from '../persistence/lookup-cache.js';
import { SharedRateLimiter } from '../persistence/rate-limiter.js';
import { MongoRequestQuota } from '../persistence/request-quota.js';
import { budgetPort, cachePort } from '../persistence/resolver-ports.js';
import { budgetsFromConfig, SpendLedger } from '../persistence/spend-ledger.js';
import { buildChain, type BuiltChain } from '../resolver/build-chain.js';

/** The chain on MongoDB, with the spend ledger behind its budget port (housekeeping reads it too). */
export interface MongoChain extends BuiltChain {
  ledger: SpendLedger;
}

/**
 * Wires the MongoDB-backed adapters (lookup cache, spend ledger, shared rate limiter) to the
 * chain's ports. `run` calls it once; the one-off commands (`enrich`, `console`) once each.
 */
export function chainOnMongo(
  config: Config,
  deps: { db: Db; logger: Logger; metrics?: ResolverMetrics },
): MongoChain {
  const { db } = deps;
  const limiter = new SharedRateLimiter(db, {
    perSecond: {
      tmdb: config.sources.tmdb.ratePerSecond,
      omdb: config.sources.omdb.ratePerSecond,
      imdb: config.sources.zyte.ratePerSecond,
    },
  });
  const ledger = new SpendLedger(db, budgetsFromConfig(config.sources));
  const built = buildChain(config, {
    cache: cachePort(new LookupCache(db, config.cache)),
    budget: budgetPort(ledger),
    limiter: { acquire: (source) => limiter.acquire(source) },
    quota: new MongoRequestQuota(db, { omdb: config.sources.omdb.dailyRequestQuota }),
    logger: deps.logger,
    ...(deps.metrics === undefined ? {} : { metrics: deps.metrics }),
  });
  return { ...built, ledger };
}
