import { popularity } from './catalog.js';
import { countryName, languageName } from './display-names.js';
import { hashString } from './prng.js';
import {
  json,
  type Failure,
  type Reply,
  type RouteContext,
  type ServiceRoutes,
  type TwinRequest,
} from './reply.js';
import type { WorldFilm } from './world.js';

/**
 * TMDb v3 as the twin serves it under /tmdb/3 (real: https://api.themoviedb.org/3):
 *   GET /find/{imdb_id}?external_source=imdb_id   → {movie_results, person_results, tv_results, …}
 *   GET /search/movie?query&year&primary_release_year&include_adult&language&page → 20 per page
 *   GET /movie/{id}?append_to_response=credits,external_ids,alternative_titles,release_dates
 * Auth: `Authorization: Bearer <read token>` or `?api_key=`. Errors: {success:false, status_code, status_message}.
 */

const PAGE_SIZE = 20;

const genreIds: Record<string, number> = {
  Action: 28,
  Adventure: 12,
  Animation: 16,
  Comedy: 35,
  Crime: 80,
  Documentary: 99,
  Drama: 18,
  Family: 10751,
  Fantasy: 14,
  History: 36,
  Horror: 27,
  Music: 10402,
  Mystery: 9648,
  Romance: 10749,
  'Science Fiction': 878,
  Thriller: 53,
  War: 10752,
  Western: 37,
};

function tmdbError(status: number, code: number, message: string, headers?: Record<string, string>): Reply {
  return json(status, { success: false, status_code: code, status_message: message }, headers);
}

const notFound = (): Reply => tmdbError(404, 34, 'The resource you requested could not be found.');

function posterPath(film: WorldFilm): string | null {
  return film.tmdb.releaseDate ? `/${(hashString(film.imdbId) >>> 0).toString(36)}tw.jpg` : null;
}

function backdropPath(film: WorldFilm): string {
  return `/${(hashString(`${film.imdbId}:backdrop`) >>> 0).toString(36)}tw.jpg`;
}

function voteAverage(film: WorldFilm): number {
  return film.rating ? Math.round(film.rating.value * 1000) / 1000 : 0;
}

function voteCount(film: WorldFilm): number {
  return film.rating ? Math.floor(film.rating.votes / 25) : 0;
}

/** The short movie object of search and find results. */
function movieSummary(film: WorldFilm): Record<string, unknown> {
  return {
    adult: false,
    backdrop_path: backdropPath(film),
    genre_ids: film.genres.map((g) => genreIds[g]).filter((id) => id !== undefined),
    id: film.tmdbId,
    original_language: film.languages[0] ?? 'en',
    original_title: film.tmdb.originalTitle,
    overview: film.plot,
    popularity: popularity(film),
    poster_path: posterPath(film),
    release_date: film.tmdb.releaseDate,
    title: film.tmdb.title,
    video: false,
    vote_average: voteAverage(film),
    vote_count: voteCount(film),
  };
}

function releaseDates(film: WorldFilm): { results: unknown[] } {
  const results: unknown[] = [];
  const entry = (date: string, type: number, note: string) => ({
    certification: '',
    descriptors: [],
    iso_639_1: '',
    note,
    release_date: `${date}T00:00:00.000Z`,
    type,
  });
  if (film.festivalYear !== null)
    results.push({
      iso_3166_1: 'FR',
      release_dates: [entry(`${film.festivalYear}-05-20`, 1, 'Cannes Film Festival')],
    });
  if (film.tmdb.releaseDate)
    results.push({
      iso_3166_1: film.countries[0] ?? 'US',
      release_dates: [entry(film.tmdb.releaseDate, 3, '')],
    });
  return { results };
}

function movieDetails(film: WorldFilm, appends: Set<string>): Record<string, unknown> {
  const imdbId = film.tmdb.imdbLinked ? film.imdbId : null;
  const details: Record<string, unknown> = {
    adult: false,
    backdrop_path: backdropPath(film),
    belongs_to_collection: null,
    budget: 0,
    genres: film.genres.filter((g) => genreIds[g] !== undefined).map((g) => ({ id: genreIds[g], name: g })),
    homepage: '',
    id: film.tmdbId,
    imdb_id: imdbId,
    origin_country: film.countries.slice(0, 1),
    original_language: film.languages[0] ?? 'en',
    original_title: film.tmdb.originalTitle,
    overview: film.plot,
    popularity: popularity(film),
    poster_path: posterPath(film),
    production_companies: [],
    production_countries: film.countries.map((c) => ({ iso_3166_1: c, name: countryName(c) })),
    release_date: film.tmdb.releaseDate,
    revenue: 0,
    runtime: film.tmdb.releaseDate ? (film.runtimeMinutes ?? 0) : 0,
    spoken_languages: film.languages.map((l) => ({
      english_name: languageName(l),
      iso_639_1: l,
      name: languageName(l),
    })),
    status: film.tmdb.releaseDate ? 'Released' : 'Post Production',
    tagline: '',
    title: film.tmdb.title,
    video: false,
    vote_average: voteAverage(film),
    vote_count: voteCount(film),
  };
  if (appends.has('credits')) {
    details.credits = {
      cast: film.cast.map((name, order) => ({
        adult: false,
        gender: 0,
        id: hashString(name) % 5_000_000,
        known_for_department: 'Acting',
        name,
        original_name: name,
        popularity: 1,
        profile_path: null,
        cast_id: order + 1,
        character: '',
        credit_id: hashString(`${film.imdbId}:${name}`).toString(16),
        order,
      })),
      crew: film.directors.map((name) => ({
        adult: false,
        gender: 0,
        id: hashString(name) % 5_000_000,
        known_for_department: 'Directing',
        name,
        original_name: name,
        popularity: 1,
        profile_path: null,
        credit_id: hashString(`${film.imdbId}:d:${name}`).toString(16),
        department: 'Directing',
        job: 'Director',
      })),
    };
  }
  if (appends.has('external_ids'))
    details.external_ids = {
      imdb_id: imdbId,
      wikidata_id: `Q${hashString(film.imdbId) % 100_000_000}`,
      facebook_id: `twin${film.tmdbId}`,
      instagram_id: null,
      twitter_id: null,
    };
  if (appends.has('alternative_titles')) details.alternative_titles = { titles: film.tmdb.alternativeTitles };
  if (appends.has('release_dates')) details.release_dates = releaseDates(film);
  return details;
}

function optionalYear(value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  const n = Number(value);
  return Number.isInteger(n) ? n : undefined;
}

export const tmdbRoutes: ServiceRoutes = {
  service: 'tmdb',

  endpoint(req: TwinRequest) {
    if (req.method !== 'GET') return null;
    const path = req.url.pathname;
    if (/^\/tmdb\/3\/find\/[^/]+$/.test(path)) return 'tmdb.find';
    if (path === '/tmdb/3/search/movie') return 'tmdb.search';
    if (/^\/tmdb\/3\/movie\/[^/]+$/.test(path)) return 'tmdb.movie';
    return null;
  },

  checkAuth(req, options) {
    const header = req.headers.authorization;
    const bearer = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : null;
    const apiKey = req.url.searchParams.get('api_key');
    if (bearer === null && apiKey === null) return { kind: 'unauthorized', reason: 'missing' };
    if (bearer !== null && options.keys.tmdbTokens.includes(bearer)) return null;
    if (apiKey !== null && options.keys.tmdbApiKeys.includes(apiKey)) return null;
    return { kind: 'unauthorized', reason: 'invalid' };
  },

  serve(req, endpoint, ctx: RouteContext) {
    const params = req.url.searchParams;
    const last = decodeURIComponent(req.url.pathname.split('/').pop() ?? '');
    if (endpoint === 'tmdb.find') {
      const film = params.get('external_source') === 'imdb_id' ? ctx.catalog.tmdbFind(last) : undefined;
      return json(200, {
        movie_results: film ? [{ ...movieSummary(film), media_type: 'movie' }] : [],
        person_results: [],
        tv_results: [],
        tv_episode_results: [],
        tv_season_results: [],
      });
    }
    if (endpoint === 'tmdb.search') {
      const page = optionalYear(params.get('page')) ?? 1;
      if (page < 1 || page > 500)
        return tmdbError(
          400,
          22,
          'Invalid page: Pages start at 1 and max at 500. They are expected to be an integer.',
        );
      const hits = ctx.catalog.tmdbSearch(params.get('query') ?? '', {
        year: optionalYear(params.get('year')),
        primaryReleaseYear: optionalYear(params.get('primary_release_year')),
      });
      const results = hits.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map(movieSummary);
      return json(200, {
        page,
        results,
        total_pages: Math.max(1, Math.ceil(hits.length / PAGE_SIZE)),
        total_results: hits.length,
      });
    }
    const id = /^\d+$/.test(last) ? Number(last) : NaN;
    const film = Number.isNaN(id) ? undefined : ctx.catalog.tmdbMovie(id);
    if (!film) return notFound();
    const appends = new Set(
      (params.get('append_to_response') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .slice(0, 20),
    );
    return json(200, movieDetails(film, appends));
  },

  failure(failure: Failure) {
    switch (failure.kind) {
      case 'unauthorized':
        return tmdbError(401, 7, 'Invalid API key: You must be granted a valid key.');
      case 'rate-limited':
        return tmdbError(
          429,
          25,
          'Your request count (#) is over the allowed limit of (40).',
          failure.retryAfterSeconds === null
            ? undefined
            : { 'Retry-After': String(failure.retryAfterSeconds) },
        );
      case 'outage':
        return tmdbError(503, 46, 'The API is undergoing maintenance. Try again later.');
      case 'server-error':
        return failure.draw < 0.5
          ? tmdbError(504, 24, 'Your request to the backend server timed out. Try again.')
          : tmdbError(502, 43, "Couldn't connect to the backend server.");
    }
  },

  notFound,
};
