import type { ImportType, MovieDocument, SourceName } from './movie.js';

/** Value of `movie.resolved` (see schemas/movie-resolved.avsc); times are epoch milliseconds. */
export interface MovieResolvedEvent {
  movieKey: string;
  imdbId: string | null;
  tmdbId: number | null;
  title: string;
  originalTitle: string | null;
  year: number | null;
  importType: ImportType;
  dataSourceHierarchy: SourceName[];
  confidence: number;
  nominationIds: string[];
  festival: string | null;
  resolvedAt: number;
  upgradedFromStub: boolean;
  /** Keys of movies this one replaces (re-keyed, or merged into it: one film, one movie). */
  replacesKeys: string[];
}

/** Value of `movie.stub` (see schemas/movie-stub.avsc); times are epoch milliseconds. */
export interface MovieStubEvent {
  movieKey: string;
  imdbId: string | null;
  title: string;
  year: number | null;
  reason: string;
  sourcesTried: SourceName[];
  nominationIds: string[];
  festival: string | null;
  createdAt: number;
  /** Keys of movies this stub replaces (merged into it). */
  replacesKeys: string[];
}

/** The `movie.resolved` event announcing a movie's current state. */
export function movieResolvedEvent(
  doc: Pick<
    MovieDocument,
    | 'key'
    | 'imdbId'
    | 'tmdbId'
    | 'title'
    | 'originalTitle'
    | 'year'
    | 'importType'
    | 'dataSourceHierarchy'
    | 'confidence'
  >,
  context: {
    nominationIds: string[];
    festival: string | null;
    at: Date;
    upgradedFromStub: boolean;
    replacesKeys?: readonly string[];
  },
): MovieResolvedEvent {
  return {
    movieKey: doc.key,
    imdbId: doc.imdbId ?? null,
    tmdbId: doc.tmdbId ?? null,
    title: doc.title,
    originalTitle: doc.originalTitle ?? null,
    year: doc.year ?? null,
    importType: doc.importType,
    dataSourceHierarchy: doc.dataSourceHierarchy,
    confidence: doc.confidence,
    nominationIds: context.nominationIds,
    festival: context.festival,
    resolvedAt: context.at.getTime(),
    upgradedFromStub: context.upgradedFromStub,
    replacesKeys: [...(context.replacesKeys ?? [])],
  };
}

/** The `movie.stub` event announcing a stub movie's current state. */
export function movieStubEvent(
  doc: Pick<MovieDocument, 'key' | 'imdbId' | 'title' | 'year'>,
  context: {
    reason: string;
    sourcesTried: readonly SourceName[];
    nominationIds: string[];
    festival: string | null;
    at: Date;
    replacesKeys?: readonly string[];
  },
): MovieStubEvent {
  return {
    movieKey: doc.key,
    imdbId: doc.imdbId ?? null,
    title: doc.title,
    year: doc.year ?? null,
    reason: context.reason,
    sourcesTried: [...context.sourcesTried],
    nominationIds: context.nominationIds,
    festival: context.festival,
    createdAt: context.at.getTime(),
    replacesKeys: [...(context.replacesKeys ?? [])],
  };
}
