import type { Collection, Filter } from 'mongodb';
import { nextAttemptAt, type EnrichmentSchedule } from './enrichment-schedule.js';
import type { StoredMovie } from './movie-merge.js';
import { singleBatch } from './single-batch.js';

/**
 * The enrichment queue is the `movies` collection itself: minimal and stub movies carry
 * `needsEnrichment`, and `nextEnrichmentAt` (from enrichment-schedule.ts) spaces the attempts.
 */

/** Notes an enrichment attempt, whatever its outcome, and when the next one is due. */
export async function markEnrichmentAttempt(
  movies: Collection<StoredMovie>,
  key: string,
  now: Date,
  schedule: EnrichmentSchedule,
): Promise<void> {
  const movie = await movies.findOne({ key }, { projection: { createdAt: 1 } });
  if (movie === null) return;
  await movies.updateOne(
    { key },
    { $set: { lastEnrichmentAttempt: now, nextEnrichmentAt: nextAttemptAt(movie.createdAt, now, schedule) } },
  );
}

/**
 * Minimal and stub movies due for enrichment at `now`, least recently tried first (never
 * tried before all), a curator's locked match left alone: one range query on the
 * `enrichment` index. A movie stored before `nextEnrichmentAt` existed is due.
 */
export async function dueForEnrichment(
  movies: Collection<StoredMovie>,
  options: { now?: Date; limit?: number },
): Promise<StoredMovie[]> {
  const now = options.now ?? new Date();
  const filter: Filter<StoredMovie> = {
    needsEnrichment: true,
    locked: { $ne: 'match' },
    $or: [{ nextEnrichmentAt: { $lte: now } }, { nextEnrichmentAt: { $exists: false } }],
  };
  return movies
    .find(filter, singleBatch(options.limit ?? 100))
    .sort({ lastEnrichmentAttempt: 1, createdAt: 1 })
    .toArray();
}
