import {
  bestCaseConfidence,
  normaliseTitle,
  ownEvidenceAgrees,
  type MatchCandidate,
  type MatchTarget,
  type MatchThresholds,
  type ScoredCandidate,
} from '../domain/matching/index.js';
import type { Logger } from '../logger.js';
import { foundOutcome, judge, score, summariseAll, toMatchTarget } from './candidate-scoring.js';
import { createHttpClient } from './http-client.js';
import { lookupByIdThenTitle } from './lookup-flow.js';
import { validateMovie } from './normalized-movie-schema.js';
import type { LookupOutcome } from './outcome.js';
import type { LookupContext, LookupQuery, MovieSource } from './source.js';
import { TmdbHttp, type Fetched } from './tmdb-http.js';
import { detailsToCandidate, detailsToMovie, resultToCandidate } from './tmdb-mapper.js';
import {
  tmdbFindSchema,
  tmdbMovieDetailsSchema,
  tmdbSearchSchema,
  type TmdbFind,
  type TmdbMovieDetails,
  type TmdbMovieResult,
  type TmdbSearch,
} from './tmdb-schemas.js';
import { planSearches } from './tmdb-strategies.js';
import { AttemptRecorder, failureOutcome, type Failure } from './upstream-call.js';

/** Settings of the TMDb adapter (built by create-sources.ts from Config). */
export interface TmdbSourceOptions {
  baseUrl: string;
  /** v4 read access token, sent as Bearer; preferred over apiKey. */
  readToken?: string;
  apiKey?: string;
  timeoutMs: number;
  costUsd: number;
  /** Awaited before every request: the shared rate limit (see http-client.ts). */
  beforeRequest?: () => Promise<void>;
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
  /** The confidence its details could still give it (bestCaseConfidence), once asked. */
  bestCase?: number;
  /** Its own title or original title is one of the nomination's, as written. */
  exactTitle: boolean;
  strategy: string;
  details?: TmdbMovieDetails;
  /** The IMDb ID TMDb's find endpoint linked to this record, if it came from find. */
  linkedImdbId?: string;
}

/** Tier 1: TMDb API v3 — find by IMDb ID, else scored title searches; details for the best candidates. */
export class TmdbSource implements MovieSource {
  readonly name = 'tmdb' as const;
  readonly importType = 'full' as const;
  readonly titleLookupAfterIdMiss = true;
  readonly priority: number;
  readonly costPerRequestUsd: number;
  private readonly http: TmdbHttp;
  private readonly thresholds: MatchThresholds;
  private readonly maxDetails: number;
  private readonly detailsBar: number;

  constructor(options: TmdbSourceOptions) {
    this.priority = options.priority;
    this.costPerRequestUsd = options.costUsd;
    this.thresholds = options.thresholds;
    this.maxDetails = options.maxDetailsPerLookup ?? 3;
    this.detailsBar = options.detailsBar ?? 0.35;
    const client = createHttpClient({
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      ...(options.beforeRequest ? { beforeRequest: options.beforeRequest } : {}),
      ...(options.readToken ? { headers: { Authorization: `Bearer ${options.readToken}` } } : {}),
    });
    // The Bearer token wins; api_key goes in the query only when there is no token.
    this.http = new TmdbHttp(
      client,
      options.readToken ? undefined : options.apiKey,
      options.costUsd,
      options.logger,
    );
  }

  lookup(query: LookupQuery, ctx?: LookupContext): Promise<LookupOutcome> {
    return lookupByIdThenTitle(this, query, ctx);
  }

  /** `GET /find/{imdbId}?external_source=imdb_id`, parsed; records its attempt on `rec`. */
  find(
    imdbId: string,
    rec: AttemptRecorder = new AttemptRecorder('tmdb'),
    ctx?: LookupContext,
  ): Promise<Fetched<TmdbFind>> {
    return this.http.get(
      tmdbFindSchema,
      { method: 'GET', path: `/find/${encodeURIComponent(imdbId)}`, params: { external_source: 'imdb_id' } },
      { operation: 'find', identifier: imdbId, strategy: 'find_by_imdb_id' },
      rec,
      ctx,
    );
  }

  /** `GET /search/movie?query=&year=&include_adult=false&page=1`, parsed. */
  search(
    query: string,
    year: number | undefined,
    rec: AttemptRecorder = new AttemptRecorder('tmdb'),
    ctx?: LookupContext,
    strategy = 'title',
  ): Promise<Fetched<TmdbSearch>> {
    return this.http.get(
      tmdbSearchSchema,
      { method: 'GET', path: '/search/movie', params: { query, year, include_adult: false, page: 1 } },
      { operation: 'search', identifier: year === undefined ? query : `${query} (${year})`, strategy },
      rec,
      ctx,
    );
  }

  /** `GET /movie/{id}?append_to_response=credits,external_ids,alternative_titles,release_dates`, parsed. */
  details(
    id: string | number,
    rec: AttemptRecorder = new AttemptRecorder('tmdb'),
    ctx?: LookupContext,
    strategy = 'details',
  ): Promise<Fetched<TmdbMovieDetails>> {
    return this.http.get(
      tmdbMovieDetailsSchema,
      { method: 'GET', path: `/movie/${id}`, params: { append_to_response: appends } },
      { operation: 'details', identifier: String(id), strategy },
      rec,
      ctx,
    );
  }

  async lookupByImdbId(imdbId: string, query: LookupQuery, ctx?: LookupContext): Promise<LookupOutcome> {
    const rec = new AttemptRecorder('tmdb');
    const target = toMatchTarget({ ...query, imdbId });
    const found = await this.find(imdbId, rec, ctx);
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
    const truncated = new Set<string>();
    const plan = planSearches(query);
    for (const s of plan) {
      if (s.onlyIfTruncated !== undefined && !truncated.has(s.onlyIfTruncated)) continue;
      // TMDb already answered titles that normalise to this query: its search read the title
      // as the normalised form would, so asking that form returns the same films.
      if (
        s.name === 'normalised_title' &&
        [...pool.values()].some((e) => normalisedTitlesOf(e).includes(s.query))
      )
        continue;
      const res = await this.search(s.query, s.year, rec, ctx, s.name);
      if (!res.ok) {
        if ('notFound' in res)
          return failureOutcome(
            { kind: 'invalid_response', reason: 'GET /search/movie answered 404: check TMDB_BASE_URL' },
            rec.attempts,
          );
        return failureOutcome(res.failure, rec.attempts);
      }
      this.addResults(pool, target, res.data.results, s.name);
      if (s.year === undefined && res.data.total_pages > 1) {
        truncated.add(s.name);
        // A cut page of namesakes: the year-filtered search that follows ranks them better
        // than details calls on this page would, so details wait for it.
        if (plan.some((n) => n.onlyIfTruncated === s.name)) continue;
      }
      // Details now only for a candidate whose own title and year agree: a weaker one waits
      // for the searches still to come, which may list the film itself.
      const refined = await this.refine(pool, target, rec, ctx, 'promising');
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
    const refined = await this.refine(pool, target, rec, ctx, 'final');
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
   * call: a candidate is worth one only while its details could still make it the accepted
   * one (bestCaseConfidence; after a find miss no record carries the nomination's IMDb ID).
   * Candidates are ranked by what they show, then by what they could still reach, then an
   * exact title first. Between searches (`promising`) only a candidate whose own title and
   * year agree is fetched; the `final` pass may go one call beyond the budget so that a kept
   * candidate has a movie.
   */
  private async refine(
    pool: Map<string, PoolEntry>,
    target: MatchTarget,
    rec: AttemptRecorder,
    ctx: LookupContext | undefined,
    mode: 'promising' | 'final',
  ): Promise<Failure | undefined> {
    let spent = rec.attempts.filter((a) => a.operation === 'details').length;
    for (;;) {
      const ranked = [...pool.values()]
        .filter((e) => e.scored.rejectedBecause === undefined)
        .sort(
          (a, b) =>
            b.scored.confidence - a.scored.confidence ||
            bestCaseOf(b, target) - bestCaseOf(a, target) ||
            Number(b.exactTitle) - Number(a.exactTitle),
        );
      const top = ranked[0];
      if (!top) return undefined;
      const decision = judge(
        ranked.map((e) => e.scored),
        this.thresholds,
      );
      if (top.details && decision.kind === 'accept') return undefined;
      const next = ranked.find(
        (e) =>
          !e.details &&
          e.scored.confidence >= this.detailsBar &&
          bestCaseOf(e, target) >= this.thresholds.accept &&
          (mode === 'final' || ownEvidenceAgrees(e.scored)),
      );
      const budget =
        mode === 'final' && !top.details && decision.kind !== 'reject'
          ? this.maxDetails + 1
          : this.maxDetails;
      if (!next || spent >= budget) return undefined;
      const id = next.scored.candidate.id;
      const res = await this.details(id, rec, ctx, next.strategy);
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
      delete next.bestCase;
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
      const candidate = resultToCandidate(r, linkedImdbId);
      pool.set(id, {
        scored: score(target, candidate),
        exactTitle: sameText(target, candidate),
        strategy,
        ...(linkedImdbId ? { linkedImdbId } : {}),
      });
    }
  }
}

/** bestCaseConfidence of an entry, computed when first needed (it scores the candidate again). */
function bestCaseOf(entry: PoolEntry, target: MatchTarget): number {
  entry.bestCase ??= bestCaseConfidence(target, entry.scored.candidate);
  return entry.bestCase;
}

function sameText(target: MatchTarget, candidate: MatchCandidate): boolean {
  const own = [target.title, target.originalTitle].map((t) => t?.trim().toLowerCase());
  return [candidate.title, candidate.originalTitle].some(
    (t) => t !== undefined && own.includes(t.trim().toLowerCase()),
  );
}

function normalisedTitlesOf(entry: PoolEntry): string[] {
  const c = entry.scored.candidate;
  return [c.title, c.originalTitle].filter((t): t is string => t !== undefined).map(normaliseTitle);
}

function scoredOf(pool: Map<string, PoolEntry>): ScoredCandidate[] {
  return [...pool.values()].map((e) => e.scored);
}
