import type { AxiosInstance } from 'axios';
import type { NormalizedMovie } from '../domain/movie.js';
import type { MatchCandidate, MatchThresholds } from '../domain/matching/index.js';
import { imdbIdPattern } from '../domain/nomination.js';
import type { Logger } from '../logger.js';
import { foundOutcome, judge, score, summariseAll, toMatchTarget } from './candidate-scoring.js';
import { classifyHttpStatus, createHttpClient, headerValue, parseRetryAfter } from './http-client.js';
import { parseImdbPage, type ImdbPageData } from './imdb-page-parser.js';
import { lookupByIdThenTitle } from './lookup-flow.js';
import { compact } from '../domain/compact.js';
import { validateMovie } from './normalized-movie-schema.js';
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
import { decodeZyteExtract, zyteExtractSchema, zyteProblemSchema, type ZytePage } from './zyte-schemas.js';
import { isFilmTitleType } from '../domain/title-type.js';

/** Settings of the IMDb-through-Zyte adapter (built by create-sources.ts from Config). */
export interface ImdbZyteSourceOptions {
  /** Zyte API base, e.g. https://api.zyte.com/v1 (the adapter POSTs to `/extract`). */
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

/** The only URL this adapter ever asks Zyte to fetch, built from a validated ID. */
export function imdbTitleUrl(imdbId: string): string | undefined {
  return imdbIdPattern.test(imdbId) ? `https://www.imdb.com/title/${imdbId}/` : undefined;
}

/**
 * Maps a Zyte error response (application/problem+json). 429, 503 and 520 (temporary ban)
 * are rate limiting and are not charged: transient. 521 is Zyte's internal error: transient.
 * 401 is a bad key. 403 means the account is suspended (spending limit): stop using the tier.
 * 451 means Zyte will not fetch this domain at all — no retry can help and IMDb's answer
 * about the film is unknown, so it is invalid_response (not retryable) rather than blocked
 * (which the chain may retry later and which means "IMDb's bot challenge"). 422 and other
 * 4xx say our request is wrong: invalid_response.
 */
export function zyteFailure(status: number, headers: unknown, body: unknown, request: string): Failure {
  const problem = zyteProblemSchema.safeParse(body);
  const detail = problem.success ? [problem.data.title, problem.data.detail].filter(Boolean).join(': ') : '';
  const reason = `${request} answered ${status}${detail ? ` (${detail})` : ''}`;
  const retryAfterMs = parseRetryAfter(headerValue(headers, 'retry-after'));
  const retry = retryAfterMs === undefined ? {} : { retryAfterMs };
  if (status === 429 || status === 503 || status === 520 || status === 521)
    return { kind: 'transient', reason, status, ...retry };
  if (status === 401) return { kind: 'auth_failed', reason, status };
  if (status === 403)
    return {
      kind: 'quota_exhausted',
      reason: `${reason}: Zyte account suspended (spending limit reached)`,
      status,
    };
  if (status === 451)
    return { kind: 'invalid_response', reason: `${reason}: Zyte refuses to fetch this domain`, status };
  const byStatus = classifyHttpStatus(status, headers, request);
  if (byStatus && byStatus.kind === 'transient') return { ...fromHttpFailure(byStatus), reason };
  return { kind: 'invalid_response', reason, status };
}

function pageToMovie(page: ImdbPageData, imdbId: string): NormalizedMovie {
  return compact({
    source: 'imdb' as const,
    title: page.title,
    originalTitle: page.originalTitle,
    alternativeTitles: page.alternativeTitles,
    year: page.year,
    releaseDate: page.releaseDate,
    releaseCountry: page.releaseCountry,
    runtimeMinutes: page.runtimeMinutes,
    titleType: page.titleType,
    genres: page.genres,
    directors: page.directors,
    cast: page.cast,
    countries: page.countries,
    languages: page.languages,
    plot: page.plot,
    ratings: page.rating
      ? [
          {
            source: 'imdb',
            value: page.rating.value,
            scale: 10,
            ...(page.rating.votes === undefined ? {} : { votes: page.rating.votes }),
          },
        ]
      : [],
    externalIds: { imdbId: page.imdbId ?? imdbId },
    posterUrl: page.posterUrl && /^https?:\/\/\S+$/.test(page.posterUrl) ? page.posterUrl : undefined,
  });
}

function pageToCandidate(page: ImdbPageData, imdbId: string): MatchCandidate {
  return {
    id: page.imdbId ?? imdbId,
    title: page.title,
    ...(page.originalTitle ? { originalTitle: page.originalTitle } : {}),
    alternativeTitles: page.alternativeTitles,
    ...(page.year === undefined ? {} : { year: page.year }),
    directors: page.directors,
    imdbId: page.imdbId ?? imdbId,
    ...(page.posterUrl && /^https?:\/\/\S+$/.test(page.posterUrl) ? { posterUrl: page.posterUrl } : {}),
  };
}

/** Tier 3: the IMDb title page fetched through Zyte API; a full import, by IMDb ID only. */
export class ImdbZyteSource implements MovieSource {
  readonly name = 'imdb' as const;
  readonly importType = 'full' as const;
  /** The page URL needs an ID: a title lookup makes no call. */
  readonly titleLookupAfterIdMiss = false;
  readonly priority: number;
  readonly costPerRequestUsd: number;
  private readonly client: AxiosInstance;
  private readonly log: Logger;
  private readonly thresholds: MatchThresholds;

  constructor(options: ImdbZyteSourceOptions) {
    this.priority = options.priority;
    this.costPerRequestUsd = options.costUsd;
    this.thresholds = options.thresholds;
    this.log = options.logger;
    const basic = Buffer.from(`${options.apiKey ?? ''}:`).toString('base64');
    this.client = createHttpClient({
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      ...(options.beforeRequest ? { beforeRequest: options.beforeRequest } : {}),
      headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/json' },
    });
  }

  lookup(query: LookupQuery, ctx?: LookupContext): Promise<LookupOutcome> {
    return lookupByIdThenTitle(this, query, ctx);
  }

  /** The page URL needs an ID: without one there is nothing to fetch, and no call is made. */
  lookupByTitle(_query: LookupQuery): Promise<LookupOutcome> {
    return Promise.resolve({ kind: 'not_found', candidates: [], attempts: [] });
  }

  /**
   * One Zyte extract of the title page of `imdbId` through the adapter's HTTP client: the
   * decoded page when Zyte and the target both answered 200, else the outcome that ends the
   * lookup (target 404/410 = not found, Zyte errors mapped by zyteFailure). Records the attempt.
   */
  async fetchTitlePage(
    imdbId: string,
    rec: AttemptRecorder = new AttemptRecorder('imdb'),
    ctx?: LookupContext,
  ): Promise<{ kind: 'page'; page: ZytePage; html: string } | { kind: 'done'; outcome: LookupOutcome }> {
    const url = imdbTitleUrl(imdbId);
    if (url === undefined) {
      this.log.warn({ operation: 'extract' }, 'imdb lookup skipped: not a valid IMDb title ID');
      return { kind: 'done', outcome: { kind: 'not_found', candidates: [], attempts: [] } };
    }
    const meta = { operation: 'extract', identifier: imdbId, strategy: 'imdb_id' };
    const raw = await sendRequest(
      this.client,
      { method: 'POST', path: '/extract', data: { url, httpResponseBody: true } },
      ctx?.signal,
    );
    if (raw.kind === 'failure') {
      const failure = recordTransportFailure(rec, this.log, meta, raw);
      return { kind: 'done', outcome: failureOutcome(failure, rec.attempts) };
    }
    const body = parseJson(raw.body);
    const fail = (failure: Failure, costUsd: number): { kind: 'done'; outcome: LookupOutcome } => {
      rec.record({
        ...meta,
        success: false,
        elapsedMs: raw.elapsedMs,
        costUsd,
        status: raw.status,
        errorMessage: failure.reason,
      });
      this.log.warn(
        { operation: 'extract', status: raw.status, outcome: failure.kind, reason: failure.reason },
        'zyte request failed',
      );
      return { kind: 'done', outcome: failureOutcome(failure, rec.attempts) };
    };
    if (raw.status !== 200) return fail(zyteFailure(raw.status, raw.headers, body, raw.request), 0);
    // From here Zyte has answered 200: the request is charged whatever the target said.
    const cost = this.costPerRequestUsd;
    const extract = zyteExtractSchema.safeParse(body);
    if (!extract.success)
      return fail(
        {
          kind: 'invalid_response',
          reason: `${raw.request} answered 200 with a body that is not Zyte's`,
          status: 200,
        },
        cost,
      );
    const page = decodeZyteExtract(extract.data);
    const target = page.statusCode;
    if (target === 404 || target === 410) {
      rec.record({ ...meta, success: true, elapsedMs: raw.elapsedMs, costUsd: cost, status: target });
      return { kind: 'done', outcome: { kind: 'not_found', candidates: [], attempts: rec.attempts } };
    }
    if (target >= 500)
      return fail(
        { kind: 'transient', reason: `IMDb answered ${target} through Zyte`, status: target },
        cost,
      );
    if (target === 403 || target === 429)
      return fail({ kind: 'blocked', reason: `IMDb answered ${target} through Zyte` }, cost);
    if (target < 200 || target >= 300)
      return fail(
        { kind: 'invalid_response', reason: `IMDb answered ${target} through Zyte`, status: target },
        cost,
      );
    if (page.html === undefined)
      return fail(
        { kind: 'invalid_response', reason: 'Zyte answered 200 without httpResponseBody or browserHtml' },
        cost,
      );
    rec.record({ ...meta, success: true, elapsedMs: raw.elapsedMs, costUsd: cost, status: target });
    this.log.debug({ operation: 'extract', status: target, elapsedMs: raw.elapsedMs }, 'zyte request');
    return { kind: 'page', page, html: page.html };
  }

  async lookupByImdbId(imdbId: string, query: LookupQuery, ctx?: LookupContext): Promise<LookupOutcome> {
    const rec = new AttemptRecorder('imdb');
    const fetched = await this.fetchTitlePage(imdbId, rec, ctx);
    if (fetched.kind === 'done') return fetched.outcome;
    const page = parseImdbPage(fetched.html);
    if (page.kind === 'blocked') {
      // Charged, but not the answer asked for: the attempt becomes a failed one.
      const reason = `IMDb page for ${imdbId}: ${page.reason}`;
      const last = rec.attempts[rec.attempts.length - 1];
      if (last) Object.assign(last, { success: false, errorMessage: reason });
      this.log.warn({ operation: 'extract', outcome: 'blocked', reason }, 'zyte request failed');
      return failureOutcome({ kind: 'blocked', reason }, rec.attempts);
    }
    if (!isFilmTitleType(page.data.titleType)) {
      const candidate = pageToCandidate(page.data, imdbId);
      return {
        kind: 'not_found',
        candidates: [
          {
            source: 'imdb',
            id: candidate.id,
            title: candidate.title,
            ...(candidate.year === undefined ? {} : { year: candidate.year }),
            confidence: 0,
            rejectedBecause: `title_type:${page.data.titleType ?? ''}`,
          },
        ],
        attempts: rec.attempts,
      };
    }

    const scored = [score(toMatchTarget({ ...query, imdbId }), pageToCandidate(page.data, imdbId))];
    const decision = judge(scored, this.thresholds);
    if (decision.kind === 'reject')
      return { kind: 'not_found', candidates: summariseAll('imdb', scored), attempts: rec.attempts };
    const movie = validateMovie(pageToMovie(page.data, imdbId));
    if (!movie.ok)
      return failureOutcome(
        {
          kind: 'invalid_response',
          reason: `IMDb page for ${imdbId} does not map to a movie: ${movie.problem}`,
        },
        rec.attempts,
      );
    return foundOutcome({
      source: 'imdb',
      movie: movie.movie,
      best: decision.best,
      decision,
      strategy: 'imdb_id',
      scored,
      attempts: rec.attempts,
    });
  }
}
