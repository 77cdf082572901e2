import type { ImportType, SourceName } from './movie.js';

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
}
