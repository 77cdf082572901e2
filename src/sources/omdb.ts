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
  ratePerSecond: number;
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
  readonly rateLimitPerSecond: number;
  private readonly client: AxiosInstance;
  private readonly log: Logger;
  private readonly thresholds: MatchThresholds;
  private readonly apiKey: string;

  constructor(options: OmdbSourceOptions) {
    this.priority = options.priority;
    this.costPerRequestUsd = options.costUsd;
    this.rateLimitPerSecond = options.ratePerSecond;
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

  async lookupByTitle(query: LookupQuery, ctx?: LookupContext): Promise<LookupOutcome> {
    const rec = new AttemptRecorder('omdb');
    const target = toMatchTarget(query);
    const hits: { movie: OmdbMovie; strategy: string }[] = [];
    for (const s of planTitleQueries(query)) {
      const answer = await this.ask(
        { t: s.title, y: s.year, type: 'movie', plot: 'short' },
        {
          operation: 'by_title',
          identifier: s.year === undefined ? s.title : `${s.title} (${s.year})`,
          strategy: s.name,
        },
        rec,
        ctx,
      );
      if (answer.kind === 'failure') return failureOutcome(answer.failure, rec.attempts);
      if (answer.kind === 'miss') continue;
      if (!hits.some((h) => h.movie.imdbID === answer.movie.imdbID))
        hits.push({ movie: answer.movie, strategy: s.name });
      const scored = hits.map((h) => score(target, omdbToCandidate(h.movie)));
      if (judge(scored, this.thresholds).kind === 'accept') break;
    }
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

/** Title queries in order: title + year, original title + year, then title without year (OMDb's `y` is exact). */
function planTitleQueries(query: LookupQuery): { name: string; title: string; year?: number }[] {
  const title = query.title.trim();
  const original = query.originalTitle?.trim();
  const plan: { name: string; title: string; year?: number }[] = [];
  const hasOriginal =
    original !== undefined && original.length > 0 && original.toLowerCase() !== title.toLowerCase();
  if (query.year !== undefined) {
    plan.push({ name: 'title_year', title, year: query.year });
    if (hasOriginal) plan.push({ name: 'original_title_year', title: original, year: query.year });
  }
  plan.push({ name: 'title', title });
  if (hasOriginal && query.year === undefined) plan.push({ name: 'original_title', title: original });
  return plan;
}
