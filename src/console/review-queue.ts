import type { StoredMovie } from '../persistence/movie-merge.js';
import type { NominationDocument } from '../persistence/nominations-repository.js';
import type { ReviewItem, ReviewStatus } from '../persistence/review-queue-repository.js';
import type { ReviewReason } from '../resolver/ports.js';
import type { ReviewDeps } from '../ops/review/review-actions.js';
import { scoreCandidate } from '../domain/matching/index.js';
import type { CandidateEvidence, CandidateSummary } from '../sources/outcome.js';

/** The review queue as the console shows it: filters, then one card per item. */

export const reviewReasons: ReviewReason[] = [
  'low_confidence',
  'ambiguous',
  'all_sources_failed',
  'stale_stub',
];
export const reviewStatuses: ReviewStatus[] = ['open', 'resolved', 'dismissed', 'merged'];

/** Age bands of an item (since it was opened). */
export const ageBands = {
  any: { label: 'any age', minDays: 0, maxDays: Infinity },
  under_1d: { label: 'under a day', minDays: 0, maxDays: 1 },
  '1d_7d': { label: '1 to 7 days', minDays: 1, maxDays: 7 },
  over_7d: { label: 'over 7 days', minDays: 7, maxDays: Infinity },
  over_30d: { label: 'over 30 days', minDays: 30, maxDays: Infinity },
} as const;
type AgeBand = keyof typeof ageBands;

export interface QueueFilter {
  status: ReviewStatus;
  reason?: ReviewReason;
  festival?: string;
  age: AgeBand;
}

/** A candidate with the evidence to show: as stored, or recomputed for items stored without it. */
export interface CandidateView extends CandidateSummary {
  evidence: CandidateEvidence;
  evidenceRecomputed: boolean;
}

/** One review item with everything a curator needs to decide. */
export interface ReviewCard {
  item: ReviewItem;
  movie: StoredMovie | null;
  nominations: NominationDocument[];
  candidates: CandidateView[];
}

const day = 86_400_000;

/** Items per page: each card reads its movie and nominations, and the queue is worked from the top. */
export const queuePageSize = 50;

function oneOf<T extends string>(allowed: readonly T[], value: unknown): T | undefined {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value)
    ? (value as T)
    : undefined;
}

/** Reads the filters from a query string; anything unknown falls back to the default. */
export function parseQueueFilter(query: Record<string, unknown>): QueueFilter {
  const festival =
    typeof query.festival === 'string' && query.festival.trim() !== '' ? query.festival.trim() : undefined;
  const reason = oneOf(reviewReasons, query.reason);
  return {
    status: oneOf(reviewStatuses, query.status) ?? 'open',
    ...(reason === undefined ? {} : { reason }),
    ...(festival === undefined ? {} : { festival }),
    age: oneOf(Object.keys(ageBands) as AgeBand[], query.age) ?? 'any',
  };
}

function withEvidence(
  candidate: CandidateSummary,
  nomination: NominationDocument | undefined,
): CandidateView {
  if (candidate.evidence !== undefined)
    return { ...candidate, evidence: candidate.evidence, evidenceRecomputed: false };
  // Items opened before the review queue kept the evidence: measure again what the summary allows.
  const film = nomination?.film;
  const scored = scoreCandidate(
    {
      title: film?.title ?? candidate.title,
      ...(film?.originalTitle ? { originalTitle: film.originalTitle } : {}),
      ...(film?.year === null || film?.year === undefined ? {} : { year: film.year }),
      directors: film?.directors ?? [],
      ...(film?.imdbId ? { imdbId: film.imdbId } : {}),
    },
    {
      id: candidate.id,
      title: candidate.title,
      ...(candidate.originalTitle === undefined ? {} : { originalTitle: candidate.originalTitle }),
      ...(candidate.year === undefined ? {} : { year: candidate.year }),
      ...(candidate.directors === undefined ? {} : { directors: candidate.directors }),
      ...(candidate.imdbId === undefined ? {} : { imdbId: candidate.imdbId }),
    },
  );
  return { ...candidate, evidence: scored.evidence, evidenceRecomputed: true };
}

/** Loads one item's card; null when the movie has no review item. */
export async function loadCard(deps: ReviewDeps, movieKey: string): Promise<ReviewCard | null> {
  const item = await deps.reviews.get(movieKey);
  return item === null ? null : cardOf(deps, item);
}

async function cardOf(deps: ReviewDeps, item: ReviewItem): Promise<ReviewCard> {
  const movie = await deps.movies.get(item.movieKey);
  const byId = await Promise.all(
    item.nominationIds.map((id) => deps.nominations?.get(id) ?? Promise.resolve(null)),
  );
  let nominations = byId.filter((n): n is NominationDocument => n !== null);
  if (nominations.length === 0 && deps.nominations !== undefined)
    nominations = await deps.nominations.findByMovie(movie?.key ?? item.movieKey);
  const candidates = [...item.candidates]
    .sort((a, b) => b.confidence - a.confidence)
    .map((c) => withEvidence(c, nominations[0]));
  return { item, movie, nominations, candidates };
}

/** The queue under a filter: escalated first, then oldest first (the repository's order). */
export async function loadQueue(
  deps: ReviewDeps,
  filter: QueueFilter,
  now = new Date(),
  limit = queuePageSize,
): Promise<ReviewCard[]> {
  const items = await deps.reviews.list({
    status: filter.status,
    ...(filter.reason === undefined ? {} : { reason: filter.reason }),
    // The age and festival filters apply after the read, so read more than are shown.
    limit: filter.festival === undefined && filter.age === 'any' ? limit : limit * 10,
  });
  const band = ageBands[filter.age];
  const aged = items.filter((i) => {
    const days = (now.getTime() - i.createdAt.getTime()) / day;
    return days >= band.minDays && days < band.maxDays;
  });
  const cards: ReviewCard[] = [];
  for (const item of aged) {
    if (cards.length >= limit) break;
    const card = await cardOf(deps, item);
    if (filter.festival !== undefined && !card.nominations.some((n) => n.festival === filter.festival))
      continue;
    cards.push(card);
  }
  return cards;
}
