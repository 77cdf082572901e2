import type { Logger } from '../logger.js';
import type { EnrichmentDeps } from './enrich-movie.js';
import { runEnrichmentPass, type EnrichmentSummary } from './enrichment-pass.js';

/** The enrichment job inside `run`: one pass every interval, never two at once. */
export interface EnrichmentScheduler {
  /** Runs a pass now, or joins the one already running. */
  runNow(): Promise<EnrichmentSummary | undefined>;
  /** Stops the timer and waits for a running pass to finish. */
  stop(): Promise<void>;
}

/**
 * Starts the periodic pass. The timer is unref'd (it never keeps the process alive) and a
 * tick that finds a pass still running is skipped rather than queued.
 */
export function startEnrichmentScheduler(
  deps: EnrichmentDeps,
  options: { intervalMs: number; logger?: Logger },
): EnrichmentScheduler {
  const log = (options.logger ?? deps.logger).child({ component: 'enrichment-scheduler' });
  let running: Promise<EnrichmentSummary | undefined> | undefined;
  let stopped = false;
  const abort = new AbortController();

  const runNow = (): Promise<EnrichmentSummary | undefined> => {
    if (stopped) return Promise.resolve(undefined);
    running ??= (async () => {
      try {
        return await runEnrichmentPass(deps, { signal: abort.signal });
      } catch (err) {
        log.warn({ err }, 'enrichment pass failed; the next tick tries again');
        return undefined;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  const timer = setInterval(() => {
    if (running !== undefined) {
      log.info('previous enrichment pass still running: tick skipped');
      return;
    }
    void runNow();
  }, options.intervalMs);
  timer.unref();
  log.info({ intervalMs: options.intervalMs, maxPerPass: deps.maxPerPass }, 'enrichment scheduler started');

  return {
    runNow,
    async stop() {
      stopped = true;
      clearInterval(timer);
      abort.abort();
      await running;
    },
  };
}
