import { imdbReleaseDate } from './catalog.js';
import { countryName, languageName } from './display-names.js';
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
 * OMDb as the twin serves it under /omdb/ (real: https://www.omdbapi.com/):
 *   GET /?apikey=&i=tt…&plot=short|full          → by IMDb ID
 *   GET /?apikey=&t=&y=&type=movie&plot=short|full → by exact title (and year)
 * Every field is a string, "N/A" when missing. Errors: {"Response":"False","Error":"…"} —
 * "Error getting data." (a well-formed id OMDb lacks; options.omdb.unknownIdError),
 * "Incorrect IMDb ID." (a malformed id) and "Movie not found!" with HTTP 200; "No API key provided.",
 * "Invalid API key!" and "Request limit reached!" with HTTP 401. Trouble in front of OMDb
 * (outage, 5xx) answers an HTML page, as a CDN would, not JSON.
 */

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const na = (list: string[]): string => (list.length > 0 ? list.join(', ') : 'N/A');

function released(film: WorldFilm): string {
  const date = imdbReleaseDate(film);
  if (!date) return 'N/A';
  const [y, m, d] = date.split('-');
  return `${d} ${months[Number(m) - 1] ?? 'Jan'} ${y}`;
}

function shortPlot(plot: string): string {
  const sentence = /^.*?[.!?](\s|$)/.exec(plot);
  return (sentence ? sentence[0] : plot).trim();
}

function movieBody(film: WorldFilm, plot: string | null): Record<string, unknown> {
  const rating = film.rating;
  return {
    Title: film.title,
    Year: String(film.releaseYear),
    Rated: 'N/A',
    Released: released(film),
    Runtime: film.runtimeMinutes ? `${film.runtimeMinutes} min` : 'N/A',
    Genre: na(film.genres),
    Director: na(film.directors),
    Writer: 'N/A',
    Actors: na(film.cast.slice(0, 3)),
    Plot: film.plot ? (plot === 'full' ? film.plot : shortPlot(film.plot)) : 'N/A',
    Language: na(film.languages.map(languageName)),
    Country: na(film.countries.map(countryName)),
    Awards: 'N/A',
    Poster: rating ? `https://m.media-amazon.com/images/M/${film.imdbId}twin._V1_SX300.jpg` : 'N/A',
    Ratings: rating ? [{ Source: 'Internet Movie Database', Value: `${rating.value.toFixed(1)}/10` }] : [],
    Metascore: 'N/A',
    imdbRating: rating ? rating.value.toFixed(1) : 'N/A',
    imdbVotes: rating ? rating.votes.toLocaleString('en-US') : 'N/A',
    imdbID: film.imdbId,
    Type: 'movie',
    DVD: 'N/A',
    BoxOffice: 'N/A',
    Production: 'N/A',
    Website: 'N/A',
    Response: 'True',
  };
}

const omdbError = (status: number, message: string): Reply =>
  json(status, { Response: 'False', Error: message });

function html(status: number, title: string, headers?: Record<string, string>): Reply {
  return {
    status,
    contentType: 'text/html; charset=UTF-8',
    body: `<html><head><title>${status} ${title}</title></head><body><h1>${title}</h1></body></html>`,
    ...(headers ? { headers } : {}),
  };
}

/** OMDb counts a key's requests per UTC day; the twin does the same against options.omdb.dailyQuota. */
function overQuota(ctx: RouteContext): boolean {
  const today = new Date().toISOString().slice(0, 10);
  if (ctx.state.omdbDay !== today) {
    ctx.state.omdbDay = today;
    ctx.state.omdbDayCount = 0;
  }
  ctx.state.omdbDayCount += 1;
  return ctx.options.omdb.dailyQuota !== null && ctx.state.omdbDayCount > ctx.options.omdb.dailyQuota;
}

export const omdbRoutes: ServiceRoutes = {
  service: 'omdb',

  endpoint(req: TwinRequest) {
    if (req.method !== 'GET' || (req.url.pathname !== '/omdb/' && req.url.pathname !== '/omdb')) return null;
    return req.url.searchParams.has('i') ? 'omdb.byId' : 'omdb.byTitle';
  },

  checkAuth(req, options) {
    const key = req.url.searchParams.get('apikey');
    if (!key) return { kind: 'unauthorized', reason: 'missing' };
    return options.keys.omdbKeys.includes(key) ? null : { kind: 'unauthorized', reason: 'invalid' };
  },

  serve(req, endpoint, ctx) {
    if (overQuota(ctx)) return omdbError(401, 'Request limit reached!');
    const params = req.url.searchParams;
    const type = params.get('type');
    const plot = params.get('plot');
    if (endpoint === 'omdb.byId') {
      const id = params.get('i') ?? '';
      if (!/^tt\d{7,10}$/.test(id)) return omdbError(200, 'Incorrect IMDb ID.');
      const film = type && type !== 'movie' ? undefined : ctx.catalog.omdbById(id);
      // A well-formed id OMDb lacks: "Error getting data." with 200, as recorded 2016–2026.
      return film ? json(200, movieBody(film, plot)) : omdbError(200, ctx.options.omdb.unknownIdError);
    }
    const title = params.get('t');
    if (!title) return omdbError(200, params.has('s') ? 'Too many results.' : 'Something went wrong.');
    const yearText = params.get('y');
    const year = yearText && /^\d{4}$/.test(yearText) ? Number(yearText) : undefined;
    const film = type && type !== 'movie' ? undefined : ctx.catalog.omdbByTitle(title, year);
    return film ? json(200, movieBody(film, plot)) : omdbError(200, 'Movie not found!');
  },

  failure(failure: Failure) {
    switch (failure.kind) {
      case 'unauthorized':
        return omdbError(401, failure.reason === 'missing' ? 'No API key provided.' : 'Invalid API key!');
      case 'rate-limited':
        return html(
          429,
          'Too Many Requests',
          failure.retryAfterSeconds === null
            ? undefined
            : { 'Retry-After': String(failure.retryAfterSeconds) },
        );
      case 'outage':
        return html(503, 'Service Unavailable');
      case 'server-error':
        return failure.draw < 0.5 ? html(502, 'Bad Gateway') : html(500, 'Internal Server Error');
    }
  },

  notFound: () => html(404, 'Not Found'),
};
