/** Names of the collections the service keeps (DESIGN.md §4); one repository per collection. */
export const collectionNames = {
  movies: 'movies',
  nominations: 'nominations',
  lookupMetrics: 'api_lookup_metrics',
  lookupCache: 'lookup_cache',
  reviewQueue: 'review_queue',
  spendLedger: 'spend_ledger',
  rateLimits: 'rate_limits',
  requestQuota: 'request_quota',
} as const;
