import type { ImportType, SourceName } from '../domain/movie.js';
import type { LookupOutcome } from './outcome.js';

/** What the chain asks a source: the nominated film as the festival described it. */
export interface LookupQuery {
  imdbId?: string;
  title: string;
  originalTitle?: string;
  year?: number;
  directors: string[];
}

export interface LookupContext {
  signal?: AbortSignal;
  /**
   * Bodies this lookup has already had answered, by request. withRetry (src/sources/retry.ts)
   * hands every try of one lookup the same map, so a lookup of several requests that failed at
   * its last one asks only that one again: what TMDb answered a second ago it answers the same.
   */
  answered?: Map<string, unknown>;
}

/** The one contract every upstream source implements; the chain knows only this. */
export interface MovieSource {
  readonly name: SourceName;
  /** Lower runs first by default. */
  readonly priority: number;
  readonly costPerRequestUsd: number;
  /**
   * Whether a miss by IMDb ID is followed by a title lookup. TMDb: yes, it may hold the film
   * without the IMDb link. OMDb: no, a title hit could only carry another IMDb ID, which the
   * matcher refuses, so it would be a paid call that can never be accepted.
   */
  readonly titleLookupAfterIdMiss: boolean;
  /** The import type a hit from this source yields. */
  readonly importType: Exclude<ImportType, 'stub'>;
  /** Look up by IMDb ID. */
  lookupByImdbId(imdbId: string, query: LookupQuery, ctx?: LookupContext): Promise<LookupOutcome>;
  /** Look up by title, year, original title and directors. */
  lookupByTitle(query: LookupQuery, ctx?: LookupContext): Promise<LookupOutcome>;
  /** By ID first when there is one, then by title: what the chain calls. */
  lookup(query: LookupQuery, ctx?: LookupContext): Promise<LookupOutcome>;
}
