/** Where a piece of movie data came from. */
export type SourceName = 'tmdb' | 'omdb' | 'imdb';

/** Every source, in the default tier order. */
export const sourceNames: readonly SourceName[] = ['tmdb', 'omdb', 'imdb'];

/** full: TMDb or IMDb data; minimal: OMDb only; stub: every tier failed. */
export type ImportType = 'full' | 'minimal' | 'stub';

export interface Rating {
  source: string;
  value: number;
  scale: number;
  votes?: number;
}

/** The one movie shape every source maps its response into. */
export interface NormalizedMovie {
  source: SourceName;
  title: string;
  originalTitle?: string;
  alternativeTitles: string[];
  year?: number;
  releaseDate?: string;
  /** ISO 3166-1 country of `releaseDate` when the source says (IMDb gives one country's date). */
  releaseCountry?: string;
  runtimeMinutes?: number;
  /** IMDb title type (movie, short, tvMovie, tvSeries…; see title-type.ts) when the source says. */
  titleType?: string;
  /** Every genre the source lists. */
  genres: string[];
  directors: string[];
  /** Top-billed cast, in billing order. */
  cast: string[];
  countries: string[];
  languages: string[];
  plot?: string;
  ratings: Rating[];
  externalIds: { imdbId?: string; tmdbId?: number };
  posterUrl?: string;
}

/** Fields a curator can lock; enrichment never overwrites a locked field. */
export type LockableField = 'imdbId' | 'tmdbId' | 'title' | 'originalTitle' | 'year' | 'directors' | 'match';

/** A movie as stored in the `movies` collection. */
export interface MovieDocument {
  /** Natural key: the IMDb ID when known, else `title:<normalised title>:<year>`. */
  key: string;
  imdbId?: string;
  tmdbId?: number;
  title: string;
  originalTitle?: string;
  year?: number;
  data?: NormalizedMovie;
  importType: ImportType;
  needsEnrichment: boolean;
  dataSourceHierarchy: SourceName[];
  confidence: number;
  locked: LockableField[];
  lastEnrichmentAttempt?: Date;
  createdAt: Date;
  updatedAt: Date;
}
