import type { FilmKeyInput } from '../domain/film-key.js';
import type { NormalizedMovie, SourceName } from '../domain/movie.js';
import type { StoredMovie } from './movie-merge.js';

/** What MoviesRepository's writes take and return. */

/** The nominated film, as the festival described it. */
export interface FilmRef extends FilmKeyInput {
  originalTitle?: string | null;
}

/** A source's accepted match. */
export interface ResolvedWrite {
  film: FilmRef;
  movie: NormalizedMovie;
  importType: 'full' | 'minimal';
  confidence: number;
  /** Sources that contributed, in the order they did. */
  sources: SourceName[];
  now?: Date;
  /** Fetched with a curator's locked IDs (see MovieWrite.curated). */
  curated?: boolean;
  /** Records the film's title key in `titleKeys` (default true: the film is a nomination's). */
  recordTitleKey?: boolean;
  /** Who answers a review item this write makes moot (default 'nomination'; 'enrichment'). */
  answeredBy?: string;
  /**
   * The stored movie this answer is about (enrichment looks one movie up again): when the
   * answer's IDs lead to another stored movie, the two are one film and are merged.
   */
  sameFilmAs?: string;
}

/** What an upsert did. */
export interface UpsertResult {
  created: boolean;
  upgraded: boolean;
  changed: boolean;
  document: StoredMovie;
  /** Set when a title-keyed movie was re-keyed to its IMDb ID. */
  previousKey?: string;
  /** Other movies of the same film merged into `document` by this write (already relinked, deleted). */
  mergedKeys: string[];
}
