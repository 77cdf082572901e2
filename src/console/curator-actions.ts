import type { Db } from 'mongodb';
import { isImdbId } from '../domain/nomination.js';
import type { StoredMovie } from '../persistence/movie-merge.js';
import type { ReviewDecision, ReviewItem } from '../persistence/review-queue-repository.js';
import {
  dismissReview,
  resolveReview,
  type ResolveOutcome,
  type ReviewDeps,
} from '../ops/review/review-actions.js';
import { UsageError } from '../ops/usage-error.js';
import { announcedEvents, markNew, type AnnouncedEvent } from './movie-history.js';

/**
 * The console's three actions, through the same code as `festival-resolver review`
 * (src/ops/review/review-actions.ts): accept a candidate, enter an ID, dismiss.
 */

/** What an action did, for the page. */
export interface ActionResult {
  kind: 'accepted' | 'resolved' | 'dismissed';
  item: ReviewItem;
  movie: StoredMovie | null;
  decision?: ReviewDecision;
  enrichment?: Pick<ResolveOutcome, 'enrichment' | 'enrichmentError' | 'enrichmentResult'>;
  events: AnnouncedEvent[];
  /** When the action started: events from then on are its own. */
  startedAt: Date;
}

/** The decision a stored candidate stands for: its TMDb ID or its IMDb ID. */
function decisionForCandidate(
  item: ReviewItem,
  source: string,
  candidateId: string,
  by: string,
): ReviewDecision {
  const candidate = item.candidates.find((c) => c.source === source && c.id === candidateId);
  if (candidate === undefined)
    throw new UsageError(`${source}:${candidateId} is not a candidate of ${item.movieKey}`);
  const imdbId = candidate.imdbId ?? (isImdbId(candidate.id) ? candidate.id : undefined);
  if (candidate.source === 'tmdb') {
    const tmdbId = Number(candidate.id);
    return { by, tmdbId, ...(imdbId === undefined ? {} : { imdbId }) };
  }
  if (imdbId === undefined) throw new UsageError(`candidate ${source}:${candidateId} has no IMDb ID to lock`);
  return { by, imdbId };
}

/** An ID typed by a curator: tt… is an IMDb ID, a whole number a TMDb ID. */
function decisionForTypedId(typed: string, by: string): ReviewDecision {
  const id = typed.trim();
  if (/^tt\d+$/.test(id)) return { by, imdbId: id };
  if (/^\d+$/.test(id)) return { by, tmdbId: Number(id) };
  throw new UsageError(
    `enter an IMDb ID (tt1234567) or a TMDb ID (a whole number); got ${JSON.stringify(id.slice(0, 40))}`,
  );
}

async function resolved(
  db: Db,
  deps: ReviewDeps,
  kind: 'accepted' | 'resolved',
  movieKey: string,
  decision: ReviewDecision,
): Promise<ActionResult> {
  const startedAt = new Date();
  const before = await announcedEvents(db, movieKey);
  const outcome = await resolveReview(deps, movieKey, decision, startedAt);
  return {
    kind,
    startedAt,
    item: outcome.item,
    movie: outcome.movie,
    decision,
    enrichment: {
      enrichment: outcome.enrichment,
      ...(outcome.enrichmentError === undefined ? {} : { enrichmentError: outcome.enrichmentError }),
      ...(outcome.enrichmentResult === undefined ? {} : { enrichmentResult: outcome.enrichmentResult }),
    },
    events: markNew(before, await announcedEvents(db, outcome.movie.key, outcome.movie.aliasKeys ?? [])),
  };
}

export async function acceptCandidate(
  db: Db,
  deps: ReviewDeps,
  input: { movieKey: string; source: string; candidateId: string; by: string },
): Promise<ActionResult> {
  const item = await deps.reviews.get(input.movieKey);
  if (item?.status !== 'open') throw new UsageError(`no open review item for ${input.movieKey}`);
  return resolved(
    db,
    deps,
    'accepted',
    input.movieKey,
    decisionForCandidate(item, input.source, input.candidateId, input.by),
  );
}

export async function resolveWithId(
  db: Db,
  deps: ReviewDeps,
  input: { movieKey: string; id: string; by: string },
): Promise<ActionResult> {
  return resolved(db, deps, 'resolved', input.movieKey, decisionForTypedId(input.id, input.by));
}

export async function dismissItem(db: Db, deps: ReviewDeps, movieKey: string): Promise<ActionResult> {
  const startedAt = new Date();
  const before = await announcedEvents(db, movieKey);
  const item = await dismissReview(deps, movieKey, startedAt);
  const movie = await deps.movies.get(item.movieKey);
  return {
    kind: 'dismissed',
    startedAt,
    item,
    movie,
    events: markNew(before, await announcedEvents(db, movie?.key ?? item.movieKey, movie?.aliasKeys ?? [])),
  };
}
