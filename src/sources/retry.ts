import { backoffDelayMs } from '../backoff.js';
import type { LookupOutcome, UpstreamAttempt } from './outcome.js';
import type { LookupContext, LookupQuery, MovieSource } from './source.js';

/** How withRetry retries transient outcomes. */
export interface RetryOptions {
  /** Tries in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injected in tests; the default honours ctx.signal. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** [0, 1) source of jitter; injected in tests. */
  random?: () => number;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The delay before try `n + 1` (n ≥ 1): the service's one backoff policy, never shorter than the upstream's Retry-After. */
export function backoffDelay(
  n: number,
  retryAfterMs: number | undefined,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  return backoffDelayMs(n, options, {
    random,
    ...(retryAfterMs === undefined ? {} : { minimumMs: retryAfterMs }),
  });
}

/**
 * Retries transient outcomes of any source — the one place retry happens. Every other
 * outcome is returned at once. When the upstream asks to wait longer than maxDelayMs the
 * transient outcome is returned with its retryAfterMs so the caller can reschedule the
 * message instead of holding a consumer slot. The attempts of all tries are merged.
 */
export function withRetry(source: MovieSource, options: RetryOptions): MovieSource {
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;

  async function run(
    call: (ctx: LookupContext) => Promise<LookupOutcome>,
    ctx?: LookupContext,
  ): Promise<LookupOutcome> {
    const attempts: UpstreamAttempt[] = [];
    const tryCtx: LookupContext = { ...ctx, answered: ctx?.answered ?? new Map() };
    for (let n = 1; ; n++) {
      const outcome = await call(tryCtx);
      attempts.push(...outcome.attempts);
      const merged = { ...outcome, attempts: [...attempts] };
      if (outcome.kind !== 'transient' || n >= options.maxAttempts || ctx?.signal?.aborted) return merged;
      if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > options.maxDelayMs) return merged;
      await sleep(backoffDelay(n, outcome.retryAfterMs, options, random), ctx?.signal);
      if (ctx?.signal?.aborted) return merged;
    }
  }

  return {
    name: source.name,
    priority: source.priority,
    costPerRequestUsd: source.costPerRequestUsd,
    importType: source.importType,
    titleLookupAfterIdMiss: source.titleLookupAfterIdMiss,
    lookupByImdbId: (imdbId: string, query: LookupQuery, ctx?: LookupContext) =>
      run((c) => source.lookupByImdbId(imdbId, query, c), ctx),
    lookupByTitle: (query: LookupQuery, ctx?: LookupContext) =>
      run((c) => source.lookupByTitle(query, c), ctx),
    lookup: (query: LookupQuery, ctx?: LookupContext) => run((c) => source.lookup(query, c), ctx),
  };
}
