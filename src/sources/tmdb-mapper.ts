import type { NormalizedMovie } from '../domain/movie.js';
import type { MatchCandidate } from '../domain/matching/index.js';
import { isImdbId } from '../domain/nomination.js';
import { compact } from '../domain/compact.js';
import type { TmdbMovieDetails, TmdbMovieResult } from './tmdb-schemas.js';

const posterBase = 'https://image.tmdb.org/t/p/w500';
const castLimit = 15;

/** The year of "YYYY-MM-DD"; undefined for "" or null. */
export function yearOf(date: string | null | undefined): number | undefined {
  const m = /^(\d{4})-\d{2}-\d{2}$/.exec(date ?? '');
  return m ? Number(m[1]) : undefined;
}

/** Earliest year among all release dates (festival premieres count), for films whose primary date is empty. */
function earliestReleaseYear(d: TmdbMovieDetails): number | undefined {
  const years = (d.release_dates?.results ?? [])
    .flatMap((r) => r.release_dates.map((x) => yearOf(x.release_date.slice(0, 10))))
    .filter((y): y is number => y !== undefined);
  return years.length > 0 ? Math.min(...years) : undefined;
}

/** A search or find result as a match candidate (no directors or IMDb ID yet). */
export function resultToCandidate(r: TmdbMovieResult, imdbId?: string): MatchCandidate {
  const year = yearOf(r.release_date);
  return {
    id: String(r.id),
    title: r.title,
    ...(r.original_title && r.original_title !== r.title ? { originalTitle: r.original_title } : {}),
    ...(year === undefined ? {} : { year }),
    ...(imdbId ? { imdbId } : {}),
    ...(r.poster_path ? { posterUrl: `${posterBase}${r.poster_path}` } : {}),
  };
}

function imdbIdOf(d: TmdbMovieDetails): string | undefined {
  const id = d.external_ids?.imdb_id ?? d.imdb_id ?? undefined;
  return id && isImdbId(id) ? id : undefined;
}

export function directorsOf(d: TmdbMovieDetails): string[] {
  return [...new Set((d.credits?.crew ?? []).filter((c) => c.job === 'Director').map((c) => c.name))];
}

/** Details as a candidate: directors, alternative titles and the record's own IMDb ID. */
export function detailsToCandidate(d: TmdbMovieDetails): MatchCandidate {
  const year = yearOf(d.release_date) ?? earliestReleaseYear(d);
  const imdbId = imdbIdOf(d);
  const alternativeTitles = [...new Set((d.alternative_titles?.titles ?? []).map((t) => t.title))];
  return {
    id: String(d.id),
    title: d.title,
    ...(d.original_title && d.original_title !== d.title ? { originalTitle: d.original_title } : {}),
    ...(alternativeTitles.length > 0 ? { alternativeTitles } : {}),
    ...(year === undefined ? {} : { year }),
    directors: directorsOf(d),
    // null (not undefined) says "TMDb has no IMDb link", which is evidence of nothing.
    imdbId: imdbId ?? null,
    ...(d.poster_path ? { posterUrl: `${posterBase}${d.poster_path}` } : {}),
  };
}

/** Maps `GET /movie/{id}` with its appends to the NormalizedMovie. */
export function detailsToMovie(d: TmdbMovieDetails): NormalizedMovie {
  const releaseDate = /^\d{4}-\d{2}-\d{2}$/.test(d.release_date ?? '')
    ? (d.release_date ?? undefined)
    : undefined;
  const languages = [
    ...new Set(
      [d.original_language, ...d.spoken_languages.map((l) => l.iso_639_1)].filter((l): l is string =>
        Boolean(l),
      ),
    ),
  ];
  const cast = [...(d.credits?.cast ?? [])]
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
    .slice(0, castLimit)
    .map((c) => c.name);
  const imdbId = imdbIdOf(d);
  return compact({
    source: 'tmdb' as const,
    title: d.title,
    originalTitle: d.original_title && d.original_title.length > 0 ? d.original_title : undefined,
    alternativeTitles: [...new Set((d.alternative_titles?.titles ?? []).map((t) => t.title))],
    year: yearOf(d.release_date) ?? earliestReleaseYear(d),
    releaseDate,
    runtimeMinutes: d.runtime && d.runtime > 0 ? Math.round(d.runtime) : undefined,
    genres: d.genres.map((g) => g.name),
    directors: directorsOf(d),
    cast,
    countries: d.production_countries.map((c) => c.iso_3166_1),
    languages,
    plot: d.overview && d.overview.length > 0 ? d.overview : undefined,
    ratings:
      d.vote_average !== null && d.vote_average !== undefined && (d.vote_count ?? 0) > 0
        ? [{ source: 'tmdb', value: d.vote_average, scale: 10, votes: Math.round(d.vote_count ?? 0) }]
        : [],
    externalIds: compact({ imdbId, tmdbId: d.id }),
    posterUrl: d.poster_path ? `${posterBase}${d.poster_path}` : undefined,
  });
}
