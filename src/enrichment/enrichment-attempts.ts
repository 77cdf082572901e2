import { randomUUID } from 'node:crypto';
import type { MovieDocument } from '../domain/movie.js';
import { attemptRecordFrom, type LookupMetricsRepository } from '../persistence/lookup-metrics-repository.js';
import type { TierStep } from '../resolver/ports.js';

/** Prefix of `metadata.strategy` for attempts the enrichment job made (the consumer's have none). */
const enrichmentStrategyPrefix = 'enrichment:';

/**
 * Records the upstream requests of one enrichment lookup in api_lookup_metrics, like the
 * consumer does, with the strategy prefixed `enrichment:` so that dashboards and reports
 * can tell the job's spend from the consumer's while `reason_for_fallback` keeps its meaning.
 */
export async function recordEnrichmentAttempts(
  repository: LookupMetricsRepository,
  steps: readonly TierStep[],
  context: {
    festival: string | null;
    movie: Pick<MovieDocument, 'importType' | 'dataSourceHierarchy'> | null;
    created: boolean;
  },
): Promise<number> {
  const records = steps.flatMap((step) =>
    step.attempts.map((attempt) => {
      const record = attemptRecordFrom(attempt, {
        attemptId: randomUUID(),
        fallback_level: step.level,
        confidence: step.confidence ?? null,
        movie_found: step.result === 'found',
        movie_created: context.created && step.reasonForFallback === null,
        import_type: context.movie?.importType ?? null,
        source_hierarchy: context.movie?.dataSourceHierarchy ?? [],
        festival: context.festival,
        reason_for_fallback: step.reasonForFallback ?? (step.result === 'found' ? null : step.result),
      });
      return {
        ...record,
        metadata: { ...record.metadata, strategy: `${enrichmentStrategyPrefix}${attempt.strategy}` },
      };
    }),
  );
  return records.length === 0 ? 0 : repository.recordAttempts(records);
}
