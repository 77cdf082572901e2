import type { AxiosInstance } from 'axios';
import type { MatchThresholds, ScoredCandidate } from '../domain/matching/index.js';
import type { Logger } from '../logger.js';
import { foundOutcome, judge, score, summariseAll, toMatchTarget } from './candidate-scoring.js';
import { classifyHttpStatus, createHttpClient } from './http-client.js';
import { isImdbId } from '../domain/nomination.js';
import { isFilmTitleType, omdbTypeToTitleType } from '../domain/title-type.js';
import { validateMovie } from './normalized-movie-schema.js';
import { omdbToCandidate, omdbToMovie } from './omdb-mapper.js';
import { omdbErrorMeaning } from './omdb-errors.js';
import { omdbErrorSchema, omdbMovieSchema, type OmdbMovie } from './omdb-schemas.js';
import type { LookupOutcome } from './outcome.js';
import type { LookupContext, LookupQuery, MovieSource } from './source.js';
import {
  AttemptRecorder,
  failureOutcome,
  fromHttpFailure,
  recordTransportFailure,
  parseJson,
  sendRequest,
  type Failure,
} from './upstream-call.js';

/** Settings of the OMDb adapter (built by create-sources.ts from Config). */
export interface OmdbSourceOptions {
  baseUrl: string;
  apiKey?: string;
  timeoutMs: number;
  costUsd: number;
  /** Awaited before every request: the shared rate limit (see http-client.ts). */
  beforeRequest?: () => Promise<void>;
  priority: number;
  thresholds: MatchThresholds;
  logger: Logger;
}

type Answer =
  { kind: 'hit'; movie: OmdbMovie } | { kind: 'miss'; said?: string } | { kind: 'failure'; failure: Failure };

/**
 * Decides what an OMDb answer means from `Response`/`Error` first, through the table of
 * omdb-errors.ts: OMDb sends "Movie not found!" and "Error getting data." (a well-formed id
 * it lacks) with 200 and both "Request limit reached!" and "Invalid API key!" with 401.
 */
export function interpretOmdb(status: number, headers: unknown, body: unknown, request: string): Answer {
  const error = omdbErrorSchema.safeParse(body);
  if (error.success) {
    const message = error.data.Error;
    const reason = `${request} answered ${status}: OMDb "${message}"`;
    const meaning = omdbErrorMeaning(message);
    if (meaning === 'not_found') return { kind: 'miss', said: reason };
    if (meaning === 'quota') return { kind: 'failure', failure: { kind: 'quota_exhausted', reason, status } };
    if (meaning === 'auth') return { kind: 'failure', failure: { kind: 'auth_failed', reason, status } };
    // An unknown message behind a 429 or 5xx is trouble in front of OMDb: worth a retry.
    if (meaning === undefined && (status === 429 || status >= 500))
      return { kind: 'failure', failure: { kind: 'transient', reason, status } };
    return { kind: 'failure', failure: { kind: 'invalid_response', reason, status } };
  }
  if (status >= 200 && status < 300) {
    const movie = omdbMovieSchema.safeParse(body);
    if (movie.success) return { kind: 'hit', movie: movie.data };
    return {
      kind: 'failure',
      failure: {
        kind: 'invalid_response',
        reason: `${request} answered ${status} with a body that is not OMDb's${body === undefined ? ' (not JSON)' : ''}`,
        status,
      },
    };
  }
  const byStatus = classifyHttpStatus(status, headers, request);
  // Without OMDb's error body a 401 could be a bad key or a spent quota: say so rather than guess.
  if (byStatus === undefined || byStatus.kind === 'auth_failed' || byStatus.kind === 'not_found') {
    return {
      kind: 'failure',
      failure: {
        kind: 'invalid_response',
        reason: `${request} answered ${status} without OMDb's error body`,
        status,
      },
    };
  }
  return { kind: 'failure', failure: fromHttpFailure(byStatus) };
}

/** Tier 2: OMDb — by IMDb ID, else by title and year; a minimal import. */
export class OmdbSource implements MovieSource {
  readonly name = 'omdb' as const;
  readonly importType = 'minimal' as const;
  readonly titleLookupAfterIdMiss = false;
  readonly priority: number;
  readonly costPerRequestUsd: number;
  private readonly client: AxiosInstance;
  private readonly log: Logger;
  private readonly thresholds: MatchThresholds;
  private readonly apiKey: string;

  constructor(options: OmdbSourceOptions) {
    this.priority = options.priority;
    this.costPerRequestUsd = options.costUsd;
    this.thresholds = options.thresholds;
    this.log = options.logger;
    this.apiKey = options.apiKey ?? '';
    this.client = createHttpClient({
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      ...(options.beforeRequest ? { beforeRequest: options.beforeRequest } : {}),
    });
  }

  /**
   * By IMDb ID alone when the nomination has a valid one: an ID miss is final. A title query
   * after it could only return a film with another IMDb ID, which the matcher refuses anyway,
   * so it would be a paid call that can never be accepted. Without an ID, by title.
   */
  lookup(query: LookupQuery, ctx?: LookupContext): Promise<LookupOutcome> {
    if (query.imdbId !== undefined && isImdbId(query.imdbId))
      return this.lookupByImdbId(query.imdbId, query, ctx);
    return this.lookupByTitle(query, ctx);
  }

  async lookupByImdbId(imdbId: string, query: LookupQuery, ctx?: LookupContext): Promise<LookupOutcome> {
    const rec = new AttemptRecorder('omdb');
    const answer = await this.ask(
      { i: imdbId, plot: 'short' },
      { operation: 'by_id', identifier: imdbId, strategy: 'imdb_id' },
      rec,
      ctx,
    );
    if (answer.kind === 'failure') return failureOutcome(answer.failure, rec.attempts);
    if (answer.kind === 'miss') return { kind: 'not_found', candidates: [], attempts: rec.attempts };
    return this.conclude(
      [{ movie: answer.movie, strategy: 'imdb_id' }],
      toMatchTarget({ ...query, imdbId }),
      rec,
    );
  }

  /**
   * By title: `t=` without `y=` first. OMDb's `y` is an exact filter on the IMDb year, which
   * need not be the nomination's year (an award names last year's films, a festival film may
   * be dated by its release), and it only narrows the same title: when the year-less query
   * misses, no year can find the film, so one call settles most lookups. Only when it answers
   * another film of that name, of another year, is the nomination's year asked. The original
   * title is never asked: OMDb matches `t=` against the English title only (omdbapi/OMDb-API#118).
   */
  async lookupByTitle(query: LookupQuery, ctx?: LookupContext): Promise<LookupOutcome> {
    const rec = new AttemptRecorder('omdb');
    const target = toMatchTarget(query);
    const title = query.title.trim();
    const hits: { movie: OmdbMovie; strategy: string }[] = [];
    const ask = (year: number | undefined) =>
      this.ask(
        { t: title, y: year, type: 'movie', plot: 'short' },
        {
          operation: 'by_title',
          identifier: year === undefined ? title : `${title} (${year})`,
          strategy: year === undefined ? 'title' : 'title_year',
        },
        rec,
        ctx,
      );
    const first = await ask(undefined);
    if (first.kind === 'failure') return failureOutcome(first.failure, rec.attempts);
    if (first.kind === 'miss') return this.conclude(hits, target, rec);
    hits.push({ movie: first.movie, strategy: 'title' });
    const accepted = judge([score(target, omdbToCandidate(first.movie))], this.thresholds).kind === 'accept';
    // A namesake of the nomination's own year is also what `y=` would answer.
    if (accepted || query.year === undefined || omdbToCandidate(first.movie).year === query.year)
      return this.conclude(hits, target, rec);
    const second = await ask(query.year);
    if (second.kind === 'failure') return failureOutcome(second.failure, rec.attempts);
    if (second.kind === 'hit' && second.movie.imdbID !== first.movie.imdbID)
      hits.push({ movie: second.movie, strategy: 'title_year' });
    return this.conclude(hits, target, rec);
  }

  private conclude(
    hits: { movie: OmdbMovie; strategy: string }[],
    target: ReturnType<typeof toMatchTarget>,
    rec: AttemptRecorder,
  ): LookupOutcome {
    const scored: ScoredCandidate[] = hits.map((h) => score(target, omdbToCandidate(h.movie)));
    const decision = judge(scored, this.thresholds);
    if (decision.kind === 'reject')
      return { kind: 'not_found', candidates: summariseAll('omdb', scored), attempts: rec.attempts };
    const hit = hits.find((h) => omdbToCandidate(h.movie).id === decision.best.candidate.id);
    const titleType = hit ? omdbTypeToTitleType(hit.movie.Type) : undefined;
    if (hit && !isFilmTitleType(titleType))
      return {
        kind: 'not_found',
        candidates: summariseAll('omdb', scored).map((c) =>
          c.id === decision.best.candidate.id
            ? { ...c, confidence: 0, rejectedBecause: `title_type:${titleType ?? ''}` }
            : c,
        ),
        attempts: rec.attempts,
      };
    if (!hit) return { kind: 'not_found', candidates: summariseAll('omdb', scored), attempts: rec.attempts };
    const movie = validateMovie(omdbToMovie(hit.movie));
    if (!movie.ok)
      return failureOutcome(
        {
          kind: 'invalid_response',
          reason: `OMDb ${hit.movie.imdbID} does not map to a movie: ${movie.problem}`,
        },
        rec.attempts,
      );
    // OMDb's t= answers one film and hides any namesake, so a title hit is certain only when
    // a director confirms it; by ID the ID itself is the confirmation.
    const confirmed = hit.strategy === 'imdb_id' || (decision.best.evidence.directorOverlap ?? 0) > 0;
    return foundOutcome({
      source: 'omdb',
      movie: movie.movie,
      best: decision.best,
      decision,
      strategy: hit.strategy,
      scored,
      attempts: rec.attempts,
      certain: confirmed,
    });
  }

  private async ask(
    params: Record<string, string | number | undefined>,
    meta: { operation: string; identifier: string; strategy: string },
    rec: AttemptRecorder,
    ctx?: LookupContext,
  ): Promise<Answer> {
    const raw = await sendRequest(
      this.client,
      { method: 'GET', path: '/', params: { apikey: this.apiKey, ...params } },
      ctx?.signal,
    );
    if (raw.kind === 'failure') {
      const failure = recordTransportFailure(rec, this.log, meta, raw);
      return { kind: 'failure', failure };
    }
    const answer = interpretOmdb(raw.status, raw.headers, parseJson(raw.body), raw.request);
    // OMDb counts every answered request against the key's quota, misses included.
    const costUsd = raw.status >= 200 && raw.status < 300 ? this.costPerRequestUsd : 0;
    if (answer.kind === 'failure') {
      rec.record({
        ...meta,
        success: false,
        elapsedMs: raw.elapsedMs,
        costUsd,
        status: raw.status,
        errorMessage: answer.failure.reason,
      });
      this.log.warn(
        {
          operation: meta.operation,
          strategy: meta.strategy,
          status: raw.status,
          outcome: answer.failure.kind,
          reason: answer.failure.reason,
        },
        'omdb request failed',
      );
    } else {
      rec.record({
        ...meta,
        success: true,
        elapsedMs: raw.elapsedMs,
        costUsd,
        status: raw.status,
        ...(answer.kind === 'miss' && answer.said ? { errorMessage: answer.said } : {}),
      });
      this.log.debug(
        {
          operation: meta.operation,
          strategy: meta.strategy,
          status: raw.status,
          found: answer.kind === 'hit',
          elapsedMs: raw.elapsedMs,
        },
        'omdb request',
      );
    }
    return answer;
  }
}
