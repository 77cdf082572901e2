import type { AxiosInstance } from 'axios';
import type { z } from 'zod';
import type { MatchTarget, MatchThresholds, ScoredCandidate } from '../domain/matching/index.js';
import type { Logger } from '../logger.js';
import { foundOutcome, judge, score, summariseAll, toMatchTarget } from './candidate-scoring.js';
import { createHttpClient } from './http-client.js';
import { lookupByIdThenTitle } from './lookup-flow.js';
import { validateMovie } from './normalized-movie-schema.js';
import type { LookupOutcome } from './outcome.js';
import type { LookupContext, LookupQuery, MovieSource } from './source.js';
import { tmdbFailure } from './tmdb-errors.js';
import { detailsToCandidate, detailsToMovie, resultToCandidate } from './tmdb-mapper.js';
import {
  tmdbFindSchema,
  tmdbMovieDetailsSchema,
  tmdbSearchSchema,
  type TmdbMovieDetails,
  type TmdbMovieResult,
} from './tmdb-schemas.js';
import { planSearches } from './tmdb-strategies.js';
import {
  AttemptRecorder,
  failureOutcome,
  fromHttpFailure,
  parseJson,
  sendRequest,
  type Failure,
  type UpstreamRequest,
} from './upstream-call.js';

/** Settings of the TMDb adapter (built by create-sources.ts from Config). */
export interface TmdbSourceOptions {
  baseUrl: string;
  /** v4 read access token, sent as Bearer; preferred over apiKey. */
  readToken?: string;
  apiKey?: string;
  timeoutMs: number;
  costUsd: number;
  ratePerSecond: number;
  priority: number;
  thresholds: MatchThresholds;
  logger: Logger;
  /** Details calls one lookup may spend on candidates (default 3). */
  maxDetailsPerLookup?: number;
  /** A candidate needs this title/year score before its details are worth a call (default 0.35). */
  detailsBar?: number;
}

const appends = 'credits,external_ids,alternative_titles,release_dates';

interface PoolEntry {
  scored: ScoredCandidate;
  strategy: string;
  details?: TmdbMovieDetails;
  /** The IMDb ID TMDb's find endpoint linked to this record, if it came from find. */
  linkedImdbId?: string;
}

type Fetched<T> = { ok: true; data: T } | { ok: false; failure: Failure } | { ok: false; notFound: true };

/** Tier 1: TMDb API v3 — find by IMDb ID, else scored title searches; details for the best candidates. */
export class TmdbSource implements MovieSource {
  readonly name = 'tmdb' as const;
  readonly importType = 'full' as const;
  readonly priority: number;
  readonly costPerRequestUsd: number;
  readonly rateLimitPerSecond: number;
  private readonly client: AxiosInstance;
  private readonly log: Logger;
  private readonly thresholds: MatchThresholds;
  private readonly apiKey: string | undefined;
  private readonly maxDetails: number;
  private readonly detailsBar: number;

  constructor(options: TmdbSourceOptions) {
    this.priority = options.priority;
    this.costPerRequestUsd = options.costUsd;
    this.rateLimitPerSecond = options.ratePerSecond;
    this.thresholds = options.thresholds;
    this.log = options.logger;
    this.apiKey = options.readToken ? undefined : options.apiKey;
    this.maxDetails = options.maxDetailsPerLookup ?? 3;
    this.detailsBar = options.detailsBar ?? 0.35;
    this.client = createHttpClient({
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      ...(options.readToken ? { headers: { Authorization: `Bearer ${options.readToken}` } } : {}),
    });
  }

  lookup(query: LookupQuery, ctx?: LookupContext): Promise<LookupOutcome> {
    return lookupByIdThenTitle(this, query, ctx);
  }

  async lookupByImdbId(imdbId: string, query: LookupQuery, ctx?: LookupContext): Promise<LookupOutcome> {
    const rec = new AttemptRecorder('tmdb');
    const target = toMatchTarget({ ...query, imdbId });
    const req: UpstreamRequest = {
      method: 'GET',
      path: `/find/${encodeURIComponent(imdbId)}`,
      params: { external_source: 'imdb_id' },
    };
    const found = await this.fetch(
      tmdbFindSchema,
      req,
      { operation: 'find', identifier: imdbId, strategy: 'find_by_imdb_id' },
      rec,
      ctx,
    );
    if (!found.ok) {
      // A miss on find is 200 with movie_results: []; a 404 here means a wrong base URL, not a missing film.
      if ('notFound' in found)
        return failureOutcome(
          { kind: 'invalid_response', reason: 'GET /find answered 404: check TMDB_BASE_URL' },
          rec.attempts,
        );
      return failureOutcome(found.failure, rec.attempts);
    }
    if (found.data.movie_results.length === 0)
      return { kind: 'not_found', candidates: [], attempts: rec.attempts };
    const pool = new Map<string, PoolEntry>();
    this.addResults(pool, target, found.data.movie_results, 'find_by_imdb_id', imdbId);
    return this.settle(pool, target, rec, ctx);
  }

  async lookupByTitle(query: LookupQuery, ctx?: LookupContext): Promise<LookupOutcome> {
    const rec = new AttemptRecorder('tmdb');
    const target = toMatchTarget(query);
    const pool = new Map<string, PoolEntry>();
    let yearlessTruncated = false;
    for (const s of planSearches(query)) {
      if (s.onlyIfTruncated && !yearlessTruncated) continue;
      const req: UpstreamRequest = {
        method: 'GET',
        path: '/search/movie',
        params: { query: s.query, year: s.year, include_adult: false, page: 1 },
      };
      const identifier = s.year === undefined ? s.query : `${s.query} (${s.year})`;
      const res = await this.fetch(
        tmdbSearchSchema,
        req,
        { operation: 'search', identifier, strategy: s.name },
        rec,
        ctx,
      );
      if (!res.ok) {
        if ('notFound' in res)
          return failureOutcome(
            { kind: 'invalid_response', reason: 'GET /search/movie answered 404: check TMDB_BASE_URL' },
            rec.attempts,
          );
        return failureOutcome(res.failure, rec.attempts);
      }
      if (s.year === undefined && s.name === 'title' && res.data.total_pages > 1) yearlessTruncated = true;
      this.addResults(pool, target, res.data.results, s.name);
      const refined = await this.refine(pool, target, rec, ctx);
      if (refined) return failureOutcome(refined, rec.attempts);
      const decision = judge(scoredOf(pool), this.thresholds);
      if (decision.kind === 'accept' && pool.get(decision.best.candidate.id)?.details) break;
    }
    return this.settle(pool, target, rec, ctx);
  }

  /** Details for the best candidates, then the outcome from everything scored. */
  private async settle(
    pool: Map<string, PoolEntry>,
    target: MatchTarget,
    rec: AttemptRecorder,
    ctx?: LookupContext,
  ): Promise<LookupOutcome> {
    const refined = await this.refine(pool, target, rec, ctx, true);
    if (refined) return failureOutcome(refined, rec.attempts);
    const scored = scoredOf(pool);
    const decision = judge(scored, this.thresholds);
    const entry = decision.kind === 'reject' ? undefined : pool.get(decision.best.candidate.id);
    if (decision.kind === 'reject' || !entry?.details)
      return { kind: 'not_found', candidates: summariseAll('tmdb', scored), attempts: rec.attempts };
    const movie = validateMovie(detailsToMovie(entry.details));
    if (!movie.ok)
      return failureOutcome(
        {
          kind: 'invalid_response',
          reason: `TMDb movie ${entry.details.id} does not map to a movie: ${movie.problem}`,
        },
        rec.attempts,
      );
    return foundOutcome({
      source: 'tmdb',
      movie: movie.movie,
      best: entry.scored,
      decision,
      strategy: entry.strategy,
      scored,
      attempts: rec.attempts,
    });
  }

  /**
   * Fetches details (directors, alternative titles, the record's IMDb ID) for the most
   * promising candidate that lacks them, until the best one is certain or nothing is worth a
   * call. `final` also allows one call beyond the budget so a kept candidate has a movie.
   */
  private async refine(
    pool: Map<string, PoolEntry>,
    target: MatchTarget,
    rec: AttemptRecorder,
    ctx?: LookupContext,
    final = false,
  ): Promise<Failure | undefined> {
    let spent = rec.attempts.filter((a) => a.operation === 'details').length;
    for (;;) {
      const ranked = [...pool.values()]
        .filter((e) => e.scored.rejectedBecause === undefined)
        .sort((a, b) => b.scored.confidence - a.scored.confidence);
      const top = ranked[0];
      if (!top) return undefined;
      const decision = judge(
        ranked.map((e) => e.scored),
        this.thresholds,
      );
      if (top.details && decision.kind === 'accept') return undefined;
      const next = ranked.find((e) => !e.details && e.scored.confidence >= this.detailsBar);
      // The final pass may go one call over budget so that a kept best candidate has its movie.
      const budget =
        final && !top.details && decision.kind !== 'reject' ? this.maxDetails + 1 : this.maxDetails;
      if (!next || spent >= budget) return undefined;
      const id = next.scored.candidate.id;
      const res = await this.fetch(
        tmdbMovieDetailsSchema,
        { method: 'GET', path: `/movie/${id}`, params: { append_to_response: appends } },
        { operation: 'details', identifier: id, strategy: next.strategy },
        rec,
        ctx,
      );
      spent += 1;
      if (!res.ok) {
        if ('notFound' in res) {
          next.scored = { ...next.scored, confidence: 0, rejectedBecause: 'gone_from_tmdb' };
          continue;
        }
        return res.failure;
      }
      const candidate = detailsToCandidate(res.data);
      if (next.linkedImdbId && !candidate.imdbId) candidate.imdbId = next.linkedImdbId;
      next.details = res.data;
      next.scored = score(target, candidate);
    }
  }

  private addResults(
    pool: Map<string, PoolEntry>,
    target: MatchTarget,
    results: TmdbMovieResult[],
    strategy: string,
    linkedImdbId?: string,
  ): void {
    for (const r of results) {
      const id = String(r.id);
      if (pool.has(id)) continue;
      pool.set(id, {
        scored: score(target, resultToCandidate(r, linkedImdbId)),
        strategy,
        ...(linkedImdbId ? { linkedImdbId } : {}),
      });
    }
  }

  /** One GET; records its attempt; maps TMDb's error bodies. */
  private async fetch<S extends z.ZodType>(
    schema: S,
    req: UpstreamRequest,
    meta: { operation: string; identifier: string; strategy: string },
    rec: AttemptRecorder,
    ctx?: LookupContext,
  ): Promise<Fetched<z.infer<S>>> {
    const withKey: UpstreamRequest = this.apiKey
      ? { ...req, params: { ...req.params, api_key: this.apiKey } }
      : req;
    const raw = await sendRequest(this.client, withKey, ctx?.signal);
    if (raw.kind === 'failure') {
      const failure = fromHttpFailure(raw.failure);
      rec.record({
        ...meta,
        success: false,
        elapsedMs: raw.elapsedMs,
        costUsd: 0,
        errorMessage: failure.reason,
      });
      this.log.warn(
        { operation: meta.operation, strategy: meta.strategy, outcome: failure.kind, reason: failure.reason },
        'tmdb request failed',
      );
      return { ok: false, failure };
    }
    const body = parseJson(raw.body);
    const charged = raw.status >= 200 && raw.status < 300 ? this.costPerRequestUsd : 0;
    if (raw.status >= 200 && raw.status < 300) {
      const parsed = schema.safeParse(body);
      if (parsed.success) {
        rec.record({
          ...meta,
          success: true,
          elapsedMs: raw.elapsedMs,
          costUsd: charged,
          status: raw.status,
        });
        this.log.debug(
          {
            operation: meta.operation,
            strategy: meta.strategy,
            status: raw.status,
            elapsedMs: raw.elapsedMs,
          },
          'tmdb request',
        );
        return { ok: true, data: parsed.data };
      }
      const reason = `${raw.request} answered ${raw.status} with a body that does not match the TMDb schema${body === undefined ? ' (not JSON)' : ''}`;
      rec.record({
        ...meta,
        success: false,
        elapsedMs: raw.elapsedMs,
        costUsd: charged,
        status: raw.status,
        errorMessage: reason,
      });
      this.log.warn(
        { operation: meta.operation, status: raw.status, outcome: 'invalid_response' },
        'tmdb response unreadable',
      );
      return { ok: false, failure: { kind: 'invalid_response', reason, status: raw.status } };
    }
    const mapped = tmdbFailure(raw.status, raw.headers, body, raw.request);
    if (mapped === 'not_found') {
      rec.record({
        ...meta,
        success: true,
        elapsedMs: raw.elapsedMs,
        costUsd: 0,
        status: raw.status,
        errorMessage: `${raw.request} answered ${raw.status} (not found)`,
      });
      return { ok: false, notFound: true };
    }
    rec.record({
      ...meta,
      success: false,
      elapsedMs: raw.elapsedMs,
      costUsd: 0,
      status: raw.status,
      errorMessage: mapped.reason,
    });
    this.log.warn(
      {
        operation: meta.operation,
        strategy: meta.strategy,
        status: raw.status,
        outcome: mapped.kind,
        reason: mapped.reason,
      },
      'tmdb request failed',
    );
    return { ok: false, failure: mapped };
  }
}

function scoredOf(pool: Map<string, PoolEntry>): ScoredCandidate[] {
  return [...pool.values()].map((e) => e.scored);
}
