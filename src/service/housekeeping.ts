import type { Db } from 'mongodb';
import type { Config } from '../config.js';
import type { SourceName } from '../domain/movie.js';
import type { Logger } from '../logger.js';
import type { ResolverMetrics } from '../metrics/metrics.js';
import { collectionNames } from '../persistence/collections.js';
import { LookupCache } from '../persistence/lookup-cache.js';
import type { MongoResolutionStore } from '../persistence/mongo-resolution-store.js';
import type { ReviewReason } from '../resolver/ports.js';
import type { SpendLedger } from '../persistence/spend-ledger.js';

/** Periodic jobs of a running resolver: gauges read from MongoDB, cache expiry, stale-stub escalation. */
export interface Housekeeping {
  /** Runs every job once now (tests and the demo call it before reading the gauges). */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

const paidSources: SourceName[] = ['omdb', 'imdb'];
const reviewReasons: ReviewReason[] = ['low_confidence', 'ambiguous', 'all_sources_failed', 'stale_stub'];

export function startHousekeeping(deps: {
  db: Db;
  ledger: SpendLedger;
  store: MongoResolutionStore;
  metrics: ResolverMetrics;
  config: Config;
  logger: Logger;
  intervalMs?: number;
}): Housekeeping {
  const { db, ledger, store, metrics, config } = deps;
  const log = deps.logger.child({ component: 'housekeeping' });
  const cache = new LookupCache(db, config.cache);
  const reviewItems = db.collection(collectionNames.reviewQueue);
  let lastSlowJobs = 0;
  let running: Promise<void> | undefined;

  async function refreshGauges(): Promise<void> {
    for (const source of paidSources) {
      const left = await ledger.remaining(source);
      if (left.day) metrics.budgetRemainingUsd.set({ source, period: 'day' }, left.day.remainingUsd);
      if (left.month) metrics.budgetRemainingUsd.set({ source, period: 'month' }, left.month.remainingUsd);
    }
    for (const reason of reviewReasons) {
      metrics.reviewQueueSize.set({ reason }, await reviewItems.countDocuments({ status: 'open', reason }));
    }
  }

  async function slowJobs(now: number): Promise<void> {
    if (now - lastSlowJobs < 10 * 60_000) return;
    lastSlowJobs = now;
    const purged = await cache.purgeExpired();
    const escalated = await store.review.escalateStaleStubs(new Date(now), config.review.stubEscalationDays);
    if (purged > 0 || escalated > 0)
      log.info({ purged, escalated }, 'expired cache entries purged, stale stubs escalated');
  }

  const runOnce = (): Promise<void> => {
    running ??= (async () => {
      try {
        await refreshGauges();
        await slowJobs(Date.now());
      } catch (err) {
        log.warn({ err }, 'housekeeping pass failed; will try again');
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  const timer = setInterval(() => void runOnce(), deps.intervalMs ?? 15_000);
  timer.unref();
  void runOnce();
  return {
    runOnce,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
