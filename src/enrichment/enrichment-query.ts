import type { NormalizedMovie } from '../domain/movie.js';
import type { StoredMovie } from '../persistence/movie-merge.js';
import type { NominationDocument } from '../persistence/nominations-repository.js';
import type { LookupQuery } from '../sources/source.js';

/**
 * The query that looks a stored movie up again: its IMDb ID, titles and year, and the
 * directors that the data or the festival named (a stub has no data; its nominations do).
 */
export function enrichmentQuery(
  movie: StoredMovie,
  nominations: readonly NominationDocument[],
  options: { curated: boolean },
): LookupQuery {
  const festivalFilm = nominations.find((n) => n.film.directors.length > 0)?.film ?? nominations[0]?.film;
  const directors = movie.data?.directors.length ? movie.data.directors : (festivalFilm?.directors ?? []);
  const originalTitle = movie.originalTitle ?? festivalFilm?.originalTitle ?? undefined;
  // A curator who gave only a TMDb ID chose a film whose IMDb ID may differ from the stored one.
  const imdbId =
    options.curated && !movie.locked.includes('imdbId') && movie.locked.includes('tmdbId')
      ? undefined
      : movie.imdbId;
  return {
    ...(imdbId === undefined ? {} : { imdbId }),
    title: movie.title,
    ...(originalTitle === undefined ? {} : { originalTitle }),
    ...(movie.year === undefined ? {} : { year: movie.year }),
    directors,
  };
}

/** True when a source's answer carries no ID that contradicts the IDs a curator locked. */
export function matchesCuratorIds(movie: StoredMovie, found: NormalizedMovie): boolean {
  const { imdbId, tmdbId } = found.externalIds;
  if (
    movie.locked.includes('imdbId') &&
    movie.imdbId !== undefined &&
    imdbId !== undefined &&
    imdbId !== movie.imdbId
  )
    return false;
  if (movie.locked.includes('tmdbId') && movie.tmdbId !== undefined && tmdbId !== movie.tmdbId) return false;
  return true;
}
