/**
 * When a minimal or stub movie is due for another enrichment attempt, Radarr-style: new
 * films appear upstream within days, so young records are retried often and old ones
 * rarely. Expressed as bands of record age, each with a minimum interval between attempts.
 * The movie stores the instant it is next due (`nextEnrichmentAt`, computed here whenever
 * it is created or tried), so the due query is one indexed range query.
 */

/** Records younger than `maxAgeMs` are retried at most every `minIntervalMs`; bands in ascending age. */
interface ScheduleBand {
  maxAgeMs: number;
  minIntervalMs: number;
}

export type EnrichmentSchedule = readonly ScheduleBand[];

const hour = 3600 * 1000;
const day = 24 * hour;

/** Hourly in the first day, every 6 h in the first week, daily in the first month, weekly after. */
export const defaultEnrichmentSchedule: EnrichmentSchedule = [
  { maxAgeMs: day, minIntervalMs: hour },
  { maxAgeMs: 7 * day, minIntervalMs: 6 * hour },
  { maxAgeMs: 30 * day, minIntervalMs: day },
  { maxAgeMs: Number.POSITIVE_INFINITY, minIntervalMs: 7 * day },
];

/** The minimum interval between attempts for a record of this age. */
export function minimumInterval(
  ageMs: number,
  schedule: EnrichmentSchedule = defaultEnrichmentSchedule,
): number {
  const band = schedule.find((b) => ageMs < b.maxAgeMs) ?? schedule[schedule.length - 1];
  if (band === undefined) throw new Error('an enrichment schedule needs at least one band');
  return band.minIntervalMs;
}

/** True when a record created at `createdAt` and last tried at `lastAttempt` may be tried at `now`. */
export function isDue(
  now: Date,
  createdAt: Date,
  lastAttempt: Date | undefined,
  schedule: EnrichmentSchedule = defaultEnrichmentSchedule,
): boolean {
  if (lastAttempt === undefined) return true;
  return (
    now.getTime() - lastAttempt.getTime() >= minimumInterval(now.getTime() - createdAt.getTime(), schedule)
  );
}

/**
 * The earliest instant at or after which a record created at `createdAt` and last tried
 * at `lastAttempt` is due (isDue turns true there and stays true); `createdAt` when it was
 * never tried. The interval grows with age, so each band from the one of the last attempt
 * on is tried in turn: its first instant that is both an interval past the attempt and
 * inside the band.
 */
export function nextAttemptAt(
  createdAt: Date,
  lastAttempt: Date | undefined,
  schedule: EnrichmentSchedule = defaultEnrichmentSchedule,
): Date {
  if (lastAttempt === undefined) return createdAt;
  const created = createdAt.getTime();
  let bandStart = 0;
  for (const band of schedule) {
    const at = Math.max(lastAttempt.getTime() + band.minIntervalMs, created + bandStart);
    if (at - created < band.maxAgeMs) return new Date(at);
    bandStart = band.maxAgeMs;
  }
  throw new Error('an enrichment schedule needs a last band without an age limit');
}
