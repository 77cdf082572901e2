import type { Db } from 'mongodb';
import { collectionNames } from '../persistence/collections.js';
import type { LookupMetricDocument } from '../persistence/lookup-metrics-repository.js';
import type { StoredMovie } from '../persistence/movie-merge.js';
import type { NominationDocument } from '../persistence/nominations-repository.js';
import { singleBatch } from '../persistence/single-batch.js';

/**
 * Read-only views of what happened to one movie: the events announced for it and the
 * upstream lookups made for it. api_lookup_metrics does not name the movie, so a lookup
 * belongs to it when its identifier is one of the movie's IDs or one of the titles it was
 * searched by (`title` or `title (year)`).
 */

/** One movie state announced on movie.resolved or movie.stub. */
export interface AnnouncedEvent {
  topic: 'movie.resolved' | 'movie.stub';
  state: string;
  /** Announced by the action the page shows (absent before it). */
  isNew?: boolean;
}

/**
 * The states announced for a movie and the movies merged into it. The store keeps them on
 * the movie (`announcedStates`, in the order they were added), without a time.
 */
export async function announcedEvents(
  db: Db,
  movieKey: string,
  aliasKeys: readonly string[] = [],
): Promise<AnnouncedEvent[]> {
  const movies = await db
    .collection<{ key: string; announcedStates?: string[] }>(collectionNames.movies)
    .find({ key: { $in: [movieKey, ...aliasKeys] } }, { projection: { _id: 0, key: 1, announcedStates: 1 } })
    .toArray();
  const states = new Set(movies.flatMap((m) => m.announcedStates ?? []));
  return [...states].map((state) => ({
    topic: state.startsWith('stub:') ? ('movie.stub' as const) : ('movie.resolved' as const),
    state,
  }));
}

/** `after`, with the states that `before` lacked marked as new. */
export function markNew(
  before: readonly AnnouncedEvent[],
  after: readonly AnnouncedEvent[],
): AnnouncedEvent[] {
  const seen = new Set(before.map((e) => e.state));
  return after.map((e) => (seen.has(e.state) ? e : { ...e, isNew: true }));
}

/** The identifiers a lookup for this movie would have been recorded under. */
export function lookupIdentifiers(movie: StoredMovie, nominations: readonly NominationDocument[]): string[] {
  const ids = new Set<string>([movie.key]);
  if (movie.imdbId !== undefined) ids.add(movie.imdbId);
  if (movie.tmdbId !== undefined) ids.add(String(movie.tmdbId));
  const titles = new Set<string>([movie.title]);
  if (movie.originalTitle !== undefined) titles.add(movie.originalTitle);
  const years = new Set<number>();
  if (movie.year !== undefined) years.add(movie.year);
  for (const n of nominations) {
    if (n.film.imdbId !== null) ids.add(n.film.imdbId);
    titles.add(n.film.title);
    if (n.film.originalTitle !== null) titles.add(n.film.originalTitle);
    if (n.film.year !== null) years.add(n.film.year);
  }
  for (const title of titles) {
    ids.add(title);
    for (const year of years) for (const y of [year - 1, year, year + 1]) ids.add(`${title} (${y})`);
  }
  return [...ids];
}

export async function lookupHistory(
  db: Db,
  identifiers: readonly string[],
  limit = 100,
): Promise<LookupMetricDocument[]> {
  return db
    .collection<LookupMetricDocument>(collectionNames.lookupMetrics)
    .find({ identifier: { $in: [...identifiers] } }, { projection: { _id: 0 }, ...singleBatch(limit) })
    .sort({ inserted_at: -1 })
    .toArray();
}
