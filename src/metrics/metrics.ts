import { Counter, Gauge, Histogram, collectDefaultMetrics, type Registry } from 'prom-client';

/**
 * Every metric of the service, registered on an injected registry (never the global one).
 * docs/metrics.md lists them with their labels and meaning; keep both in step.
 * Label values stay bounded: source, strategy, outcome, tier, import type, festival key.
 */
export interface ResolverMetrics {
  registry: Registry;
  lookups: Counter<'source' | 'strategy' | 'outcome'>;
  lookupDuration: Histogram<'source'>;
  costUsd: Counter<'source'>;
  resolutions: Counter<'import_type' | 'tier' | 'festival'>;
  cacheHits: Counter<'source' | 'kind'>;
  cacheMisses: Counter<'source'>;
  retries: Counter<'source' | 'reason'>;
  deadLetters: Counter<'reason'>;
  messagesProcessed: Counter<'outcome'>;
  tierSkipped: Counter<'source' | 'reason'>;
  budgetRemainingUsd: Gauge<'source' | 'period'>;
  reviewQueueSize: Gauge<'reason'>;
  consumerLag: Gauge<'topic' | 'partition'>;
  enrichmentUpgrades: Counter<'from' | 'to'>;
  circuitState: Gauge<'source'>;
  upstreamAuthFailures: Counter<'source'>;
  parked: Counter<'source'>;
  parkedNominations: Gauge<'source'>;
  nominationsStale: Counter;
}

export function createMetrics(
  registry: Registry,
  options: { defaultMetrics?: boolean } = {},
): ResolverMetrics {
  if (options.defaultMetrics ?? true)
    collectDefaultMetrics({ register: registry, prefix: 'festival_resolver_process_' });
  const registers = [registry];
  const metrics: ResolverMetrics = {
    registry,
    lookups: new Counter({
      name: 'festival_resolver_lookups_total',
      help: 'Upstream lookups by source, strategy and outcome (found, not_found, transient, quota_exhausted, auth_failed, blocked, invalid_response).',
      labelNames: ['source', 'strategy', 'outcome'],
      registers,
    }),
    lookupDuration: new Histogram({
      name: 'festival_resolver_lookup_duration_seconds',
      help: 'Duration of one source lookup (all its upstream requests), by source.',
      labelNames: ['source'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    costUsd: new Counter({
      name: 'festival_resolver_cost_usd_total',
      help: 'Money spent on upstream requests in USD, by source.',
      labelNames: ['source'],
      registers,
    }),
    resolutions: new Counter({
      name: 'festival_resolver_resolutions_total',
      help: 'Nominations resolved, by the import type of their movie, the tier that resolved it (stub when none) and festival.',
      labelNames: ['import_type', 'tier', 'festival'],
      registers,
    }),
    cacheHits: new Counter({
      name: 'festival_resolver_cache_hits_total',
      help: 'Lookups answered from the lookup cache, by source and kind (hit = found, miss = cached not-found, blocked = a page given up as blocked, not fetched again).',
      labelNames: ['source', 'kind'],
      registers,
    }),
    cacheMisses: new Counter({
      name: 'festival_resolver_cache_misses_total',
      help: 'Lookups not in the lookup cache, by source.',
      labelNames: ['source'],
      registers,
    }),
    retries: new Counter({
      name: 'festival_resolver_retries_total',
      help: 'Messages sent to the retry topic after a transient failure, by source and reason.',
      labelNames: ['source', 'reason'],
      registers,
    }),
    deadLetters: new Counter({
      name: 'festival_resolver_dead_letters_total',
      help: 'Messages sent to the dead-letter topic, by reason.',
      labelNames: ['reason'],
      registers,
    }),
    messagesProcessed: new Counter({
      name: 'festival_resolver_messages_processed_total',
      help: 'Input messages handled, by outcome (resolved, stub, stale, retried, parked, dead_lettered, paused, failed).',
      labelNames: ['outcome'],
      registers,
    }),
    tierSkipped: new Counter({
      name: 'festival_resolver_tier_skipped_total',
      help: 'Tiers skipped, by source and reason (disabled, critical_only, budget_exhausted, circuit_open, auth_failed).',
      labelNames: ['source', 'reason'],
      registers,
    }),
    budgetRemainingUsd: new Gauge({
      name: 'festival_resolver_budget_remaining_usd',
      help: 'Budget left in USD, by source and period (day, month).',
      labelNames: ['source', 'period'],
      registers,
    }),
    reviewQueueSize: new Gauge({
      name: 'festival_resolver_review_queue_size',
      help: 'Open review-queue items, by reason.',
      labelNames: ['reason'],
      registers,
    }),
    consumerLag: new Gauge({
      name: 'festival_resolver_consumer_lag_messages',
      help: 'Messages between the committed offset and the high watermark, by topic and partition.',
      labelNames: ['topic', 'partition'],
      registers,
    }),
    enrichmentUpgrades: new Counter({
      name: 'festival_resolver_enrichment_upgrades_total',
      help: 'Movies whose import type the enrichment job improved, by old and new import type.',
      labelNames: ['from', 'to'],
      registers,
    }),
    parked: new Counter({
      name: 'festival_resolver_parked_total',
      help: 'Nominations parked because transient failures of a source outlived the retry horizon.',
      labelNames: ['source'],
      registers,
    }),
    parkedNominations: new Gauge({
      name: 'festival_resolver_parked_nominations',
      help: 'Nominations parked now, by the source whose failures parked them; re-driven once it is healthy.',
      labelNames: ['source'],
      registers,
    }),
    nominationsStale: new Counter({
      name: 'festival_resolver_nominations_stale_total',
      help: 'Nomination versions ignored because a newer version (by producedAt) of the same id is stored; committed without any upstream call.',
      registers,
    }),
    circuitState: new Gauge({
      name: 'festival_resolver_circuit_open',
      help: '1 while the circuit breaker of a source is open, else 0.',
      labelNames: ['source'],
      registers,
    }),
    upstreamAuthFailures: new Counter({
      name: 'festival_resolver_upstream_auth_failures_total',
      help: 'Upstream answers saying the API key is invalid, by source; consumption pauses on the first.',
      labelNames: ['source'],
      registers,
    }),
  };
  // Known label sets start at zero, so "nothing happened" reads 0 rather than "no data".
  for (const source of ['tmdb', 'omdb', 'imdb']) {
    metrics.costUsd.inc({ source }, 0);
    metrics.upstreamAuthFailures.inc({ source }, 0);
    metrics.parked.inc({ source }, 0);
    metrics.circuitState.set({ source }, 0);
  }
  return metrics;
}
