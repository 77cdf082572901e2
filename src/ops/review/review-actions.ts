import type { EnrichOutcome } from '../../enrichment/enrich-movie.js';
import type { StoredMovie } from '../../persistence/movie-merge.js';
import type { MoviesRepository } from '../../persistence/movies-repository.js';
import type { NominationDocument, NominationsRepository } from '../../persistence/nominations-repository.js';
import type {
  ReviewDecision,
  ReviewItem,
  ReviewQueueRepository,
} from '../../persistence/review-queue-repository.js';
import { isImdbId } from '../../domain/nomination.js';
import { isDuplicateKeyError } from '../../persistence/mongo-errors.js';
import { UsageError } from '../usage-error.js';

/**
 * What a curator does with the review queue. Resolving is three steps in this order: lock
 * the match on the movie (so enrichment can never undo it), close the review item with the
 * decision, then ask for the movie to be enriched with the chosen IDs. Locking first means
 * a failure leaves the item open to try again, never a closed item with an unlocked movie.
 */

/** Re-fetches a movie's data after a curator fixed its IDs (enrichMovie); resolves with what it did. */
export type EnrichHook = (movieKey: string) => Promise<string>;

/** What the actions need. */
export interface ReviewDeps {
  reviews: ReviewQueueRepository;
  movies: MoviesRepository;
  nominations?: NominationsRepository;
  /**
   * Fetches the movie's data with the chosen IDs. Needed: the scheduled pass
   * (MoviesRepository.findForEnrichment) skips movies whose match is locked.
   */
  enrich?: EnrichHook;
}

/** An item with what a curator needs to decide. */
export interface ReviewDetails {
  item: ReviewItem;
  movie: StoredMovie | null;
  nominations: NominationDocument[];
}

/** The outcome of resolve(). */
export interface ResolveOutcome {
  item: ReviewItem;
  movie: StoredMovie;
  /** 'requested' when the hook ran; 'not_wired' when no hook was given. */
  enrichment: 'requested' | 'not_wired' | 'failed';
  enrichmentError?: string;
  /** What the enrichment did (upgraded, refreshed, unchanged …). */
  enrichmentResult?: string;
}

export async function showReview(deps: ReviewDeps, movieKey: string): Promise<ReviewDetails | null> {
  const item = await deps.reviews.get(movieKey);
  if (item === null) return null;
  const movie = await deps.movies.get(item.movieKey);
  const nominations =
    deps.nominations === undefined ? [] : await deps.nominations.findByMovie(movie?.key ?? item.movieKey);
  return { item, movie, nominations };
}

/** Validates a curator's answer: an IMDb ID (tt + 7-10 digits) and/or a positive TMDb ID. */
function checkDecision(decision: ReviewDecision): void {
  if (decision.imdbId === undefined && decision.tmdbId === undefined)
    throw new UsageError('give --imdb tt… or --tmdb N');
  if (decision.imdbId !== undefined && !isImdbId(decision.imdbId))
    throw new UsageError(`--imdb must look like tt1234567; got ${decision.imdbId}`);
  if (decision.tmdbId !== undefined && !(Number.isSafeInteger(decision.tmdbId) && decision.tmdbId > 0))
    throw new UsageError(`--tmdb must be a positive whole number; got ${decision.tmdbId}`);
}

export async function resolveReview(
  deps: ReviewDeps,
  movieKey: string,
  decision: ReviewDecision,
  now = new Date(),
): Promise<ResolveOutcome> {
  checkDecision(decision);
  const open = await deps.reviews.get(movieKey);
  if (open?.status !== 'open') throw new UsageError(`no open review item for ${movieKey}`);
  const movie = await deps.movies.get(open.movieKey);
  if (movie === null) throw new UsageError(`review item ${movieKey} points at no movie`);
  const ids = {
    ...(decision.imdbId === undefined ? {} : { imdbId: decision.imdbId }),
    ...(decision.tmdbId === undefined ? {} : { tmdbId: decision.tmdbId }),
  };
  const locked = await deps.movies.lockFields(movie.key, ids, now).catch((error: unknown) => {
    if (isDuplicateKeyError(error))
      throw new UsageError(
        `another movie already has ${decision.imdbId ?? `tmdb ${decision.tmdbId}`}: resolve or merge that one instead`,
      );
    throw error;
  });
  if (locked === null) throw new UsageError(`movie ${movie.key} vanished while being locked`);
  const item = await deps.reviews.resolve(open.movieKey, decision, now);
  if (item === null)
    throw new UsageError(
      `review item ${movieKey} was closed by someone else meanwhile (the movie stays locked)`,
    );
  if (deps.enrich === undefined) return { item, movie: locked, enrichment: 'not_wired' };
  try {
    const enrichmentResult = await deps.enrich(locked.key);
    return {
      item,
      movie: (await deps.movies.get(locked.key)) ?? locked,
      enrichment: 'requested',
      enrichmentResult,
    };
  } catch (error) {
    // The decision stands (the movie is locked); enrichment can be asked for again.
    return {
      item,
      movie: locked,
      enrichment: 'failed',
      enrichmentError: error instanceof Error ? error.message : String(error),
    };
  }
}

export async function dismissReview(
  deps: ReviewDeps,
  movieKey: string,
  now = new Date(),
): Promise<ReviewItem> {
  const item = await deps.reviews.dismiss(movieKey, now);
  if (item === null) throw new UsageError(`no open review item for ${movieKey}`);
  return item;
}

/** What enrichment did, in a few words (the CLI and the console show it). */
export function describeEnrichOutcome(outcome: EnrichOutcome): string {
  switch (outcome.kind) {
    case 'upgraded':
      return `upgraded ${outcome.from} -> ${outcome.to} from ${outcome.source}`;
    case 'refreshed':
      return `refreshed from ${outcome.source}`;
    case 'unchanged':
    case 'failed':
    case 'auth_failed':
      return `${outcome.kind} (${outcome.reason})`;
    default:
      return outcome.kind;
  }
}
