import type { Config } from '../config.js';
import type { SourceName } from '../domain/movie.js';
import type { Logger } from '../logger.js';
import { ImdbZyteSource } from './imdb-zyte.js';
import { OmdbSource } from './omdb.js';
import { withRetry, type RetryOptions } from './retry.js';
import type { MovieSource } from './source.js';
import { TmdbSource } from './tmdb.js';

/** The three sources by name. */
export type Sources = Record<SourceName, MovieSource>;

/**
 * Builds the three adapters from Config, each with its own child logger, wrapped in
 * withRetry unless `retry: false` (the chain may want the bare adapters). Priority follows
 * TIER_ORDER; a tier left out of the order sorts last.
 */
export function createSources(
  config: Config,
  logger: Logger,
  options: {
    retry?: boolean | Partial<RetryOptions>;
    beforeRequest?: (source: SourceName) => Promise<void>;
  } = {},
): Sources {
  const s = config.sources;
  const { beforeRequest } = options;
  const gate = (source: SourceName) =>
    beforeRequest === undefined ? {} : { beforeRequest: () => beforeRequest(source) };
  const thresholds = { accept: config.chain.acceptThreshold, review: config.chain.reviewThreshold };
  const priority = (name: SourceName): number => {
    const i = config.chain.order.indexOf(name);
    return i === -1 ? config.chain.order.length + 1 : i + 1;
  };
  const bare: Sources = {
    tmdb: new TmdbSource({
      baseUrl: s.tmdb.baseUrl,
      ...(s.tmdb.readToken ? { readToken: s.tmdb.readToken } : {}),
      ...(s.tmdb.apiKey ? { apiKey: s.tmdb.apiKey } : {}),
      timeoutMs: s.timeoutMs,
      costUsd: s.tmdb.costUsd,
      priority: priority('tmdb'),
      ...gate('tmdb'),
      thresholds,
      logger: logger.child({ component: 'source', source: 'tmdb' }),
    }),
    omdb: new OmdbSource({
      baseUrl: s.omdb.baseUrl,
      ...(s.omdb.apiKey ? { apiKey: s.omdb.apiKey } : {}),
      timeoutMs: s.timeoutMs,
      costUsd: s.omdb.costUsd,
      priority: priority('omdb'),
      ...gate('omdb'),
      thresholds,
      logger: logger.child({ component: 'source', source: 'omdb' }),
    }),
    imdb: new ImdbZyteSource({
      baseUrl: s.zyte.baseUrl,
      ...(s.zyte.apiKey ? { apiKey: s.zyte.apiKey } : {}),
      timeoutMs: s.timeoutMs,
      costUsd: s.zyte.costUsd,
      priority: priority('imdb'),
      ...gate('imdb'),
      thresholds,
      logger: logger.child({ component: 'source', source: 'imdb' }),
    }),
  };
  if (options.retry === false) return bare;
  const retry: RetryOptions = {
    maxAttempts: 2,
    baseDelayMs: config.chain.retry.baseDelayMs,
    maxDelayMs: 30_000,
    ...(typeof options.retry === 'object' ? options.retry : {}),
  };
  return {
    tmdb: withRetry(bare.tmdb, retry),
    omdb: withRetry(bare.omdb, retry),
    imdb: withRetry(bare.imdb, retry),
  };
}
