import type { ImportType } from '../domain/movie.js';
import { enrichStoredMovie, type EnrichmentDeps, type EnrichOutcome } from './enrich-movie.js';

/** What one pass did; `upgraded` is keyed `stub→full`, `minimal→full` … */
export interface EnrichmentSummary {
  examined: number;
  upgraded: Partial<Record<`${ImportType}→${ImportType}`, number>>;
  /** Same import type, better data. */
  refreshed: number;
  unchanged: number;
  skippedLocked: number;
  failed: number;
  /** Set when the pass stopped early (a source rejected its key). */
  stoppedBy?: string;
}

export interface PassOptions {
  now?: Date;
  /** Movies to look at, at most; default config.enrichment.maxPerPass. */
  limit?: number;
  /** Aborting stops the pass after the movie in hand (graceful shutdown). */
  signal?: AbortSignal;
}

function emptySummary(): EnrichmentSummary {
  return { examined: 0, upgraded: {}, refreshed: 0, unchanged: 0, skippedLocked: 0, failed: 0 };
}

/** Adds one movie's outcome to the summary. */
function tally(summary: EnrichmentSummary, outcome: EnrichOutcome): void {
  summary.examined += 1;
  switch (outcome.kind) {
    case 'upgraded': {
      const key = `${outcome.from}→${outcome.to}` as const;
      summary.upgraded[key] = (summary.upgraded[key] ?? 0) + 1;
      break;
    }
    case 'refreshed':
      summary.refreshed += 1;
      break;
    case 'unchanged':
    case 'not_found':
      summary.unchanged += 1;
      break;
    case 'skipped_locked':
      summary.skippedLocked += 1;
      break;
    case 'failed':
    case 'auth_failed':
      summary.failed += 1;
      break;
  }
}

/**
 * One enrichment pass: the minimal and stub movies due by the schedule (recent ones often,
 * old ones rarely; never a locked match), least recently tried first, one after another
 * through the same guarded chain as the consumer — its budget reservation skips a paid tier
 * whose budget is spent, so a pass never overspends. One movie's unexpected error is
 * logged and counted as failed; an auth failure stops the pass.
 */
export async function runEnrichmentPass(
  deps: EnrichmentDeps,
  options: PassOptions = {},
): Promise<EnrichmentSummary> {
  const now = options.now ?? deps.now?.() ?? new Date();
  const limit = Math.max(0, options.limit ?? deps.maxPerPass);
  const log = deps.logger.child({ component: 'enrichment' });
  const summary = emptySummary();
  if (limit === 0) return summary;
  const due = await deps.store.movies.findForEnrichment({ now, limit });
  const passDeps: EnrichmentDeps = { ...deps, now: () => now };
  for (const movie of due) {
    if (options.signal?.aborted === true) {
      summary.stoppedBy = 'shutdown';
      break;
    }
    let outcome: EnrichOutcome;
    try {
      outcome = await enrichStoredMovie(passDeps, movie, { curated: false });
    } catch (error) {
      log.error({ err: error, movieKey: movie.key }, 'enrichment of one movie failed unexpectedly');
      await deps.store.movies.markEnrichmentAttempt(movie.key, now, deps.schedule).catch(() => undefined);
      outcome = {
        kind: 'failed',
        movieKey: movie.key,
        reason: error instanceof Error ? error.message : String(error),
      };
    }
    tally(summary, outcome);
    if (outcome.kind === 'auth_failed') {
      summary.stoppedBy = `auth_failed: ${outcome.source}`;
      break;
    }
  }
  log.info({ ...summary, due: due.length }, 'enrichment pass finished');
  return summary;
}
