import type { Collection, Db } from 'mongodb';
import type { ImportType, SourceName } from '../domain/movie.js';
import type { UpstreamAttempt } from '../sources/outcome.js';
import { collectionNames } from './collections.js';
import { isDuplicateKeyError } from './mongo-errors.js';
import { singleBatch } from './single-batch.js';

/**
 * `api_lookup_metrics`: one document per upstream attempt, field names exactly as
 * DESIGN.md §4 (snake_case, the shape the old service's dashboards query).
 *
 * Replays: only real upstream calls are recorded — a replayed nomination answered from
 * the lookup cache or from the movies collection makes no call and records nothing; a
 * replay that does call upstream spends real money and is recorded like any call. The
 * optional `attemptId` (generate it when the call is made) becomes `_id`, so retrying the
 * insert after a lost acknowledgement never counts one call twice.
 */

/** The per-attempt context DESIGN.md §4 lists under `metadata`. */
export interface LookupMetricMetadata {
  strategy: string;
  fallback_level: number;
  confidence: number | null;
  cost_usd: number;
  movie_found: boolean;
  movie_created: boolean;
  import_type: ImportType | null;
  source_hierarchy: SourceName[];
  festival: string | null;
  reason_for_fallback: string | null;
}

/** One stored attempt. */
export interface LookupMetricDocument {
  _id?: string;
  source: SourceName;
  operation: string;
  identifier: string;
  success: boolean;
  response_time_ms: number;
  error_message: string | null;
  metadata: LookupMetricMetadata;
  inserted_at: Date;
}

/** What the caller knows about an attempt; defaults fill the rest. */
export interface AttemptRecord {
  attemptId?: string;
  source: SourceName;
  operation: string;
  identifier: string;
  success: boolean;
  responseTimeMs: number;
  errorMessage?: string;
  metadata: Partial<LookupMetricMetadata>;
  insertedAt?: Date;
}

/** Maps a source's UpstreamAttempt plus chain context to an AttemptRecord. */
export function attemptRecordFrom(
  attempt: UpstreamAttempt,
  context: Omit<Partial<LookupMetricMetadata>, 'strategy' | 'cost_usd'> & { attemptId?: string },
): AttemptRecord {
  const { attemptId, ...metadata } = context;
  return {
    ...(attemptId === undefined ? {} : { attemptId }),
    source: attempt.source,
    operation: attempt.operation,
    identifier: attempt.identifier,
    success: attempt.success,
    responseTimeMs: attempt.responseTimeMs,
    ...(attempt.errorMessage === undefined ? {} : { errorMessage: attempt.errorMessage }),
    metadata: { ...metadata, strategy: attempt.strategy, cost_usd: attempt.costUsd },
  };
}

function asDocument(record: AttemptRecord): LookupMetricDocument {
  const m = record.metadata;
  return {
    ...(record.attemptId === undefined ? {} : { _id: record.attemptId }),
    source: record.source,
    operation: record.operation,
    identifier: record.identifier,
    success: record.success,
    response_time_ms: record.responseTimeMs,
    error_message: record.errorMessage ?? null,
    metadata: {
      strategy: m.strategy ?? 'unknown',
      fallback_level: m.fallback_level ?? 0,
      confidence: m.confidence ?? null,
      cost_usd: m.cost_usd ?? 0,
      movie_found: m.movie_found ?? false,
      movie_created: m.movie_created ?? false,
      import_type: m.import_type ?? null,
      source_hierarchy: m.source_hierarchy ?? [],
      festival: m.festival ?? null,
      reason_for_fallback: m.reason_for_fallback ?? null,
    },
    inserted_at: record.insertedAt ?? new Date(),
  };
}

/** Index of the first failed document of an ordered bulk insert (0 when the error does not say). */
function firstWriteErrorIndex(error: unknown): number {
  const writeErrors = (error as { writeErrors?: { index?: number }[] | { index?: number } }).writeErrors;
  const first = Array.isArray(writeErrors) ? writeErrors[0] : writeErrors;
  return typeof first?.index === 'number' ? first.index : 0;
}

export class LookupMetricsRepository {
  private readonly attempts: Collection<LookupMetricDocument>;

  constructor(db: Db) {
    this.attempts = db.collection<LookupMetricDocument>(collectionNames.lookupMetrics);
  }

  /** Records one attempt; false when an attempt with the same attemptId is already there. */
  async recordAttempt(record: AttemptRecord): Promise<boolean> {
    try {
      await this.attempts.insertOne(asDocument(record));
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** Records several attempts (the attempts of one lookup); returns how many were new. */
  async recordAttempts(records: AttemptRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    // One ordered insertMany (one round trip; attempts carry fresh ids, so duplicates only
    // come from a retried write). Ordered, not unordered: the duplicate-key report of an
    // unordered bulk insert differs between MongoDB-compatible servers. On a
    // duplicate, the records before it were inserted and the rest go one at a time.
    try {
      await this.attempts.insertMany(records.map(asDocument), { ordered: true });
      return records.length;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const failedAt = firstWriteErrorIndex(error);
      let recorded = failedAt;
      for (const record of records.slice(failedAt + 1)) if (await this.recordAttempt(record)) recorded += 1;
      return recorded;
    }
  }

  /** Attempts of one source (or all) since an instant, newest first. */
  async find(
    filter: { source?: SourceName; since?: Date; festival?: string; limit?: number } = {},
  ): Promise<LookupMetricDocument[]> {
    const query: Record<string, unknown> = {};
    if (filter.source !== undefined) query.source = filter.source;
    if (filter.since !== undefined) query.inserted_at = { $gte: filter.since };
    if (filter.festival !== undefined) query['metadata.festival'] = filter.festival;
    return this.attempts
      .find(query, singleBatch(filter.limit ?? 100))
      .sort({ inserted_at: -1 })
      .toArray();
  }
}
