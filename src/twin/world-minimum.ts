import { Catalog } from './catalog.js';
import type { World, WorldFilm } from './world.js';

/**
 * The fewest upstream calls per source a correct resolver needs for a set of nominations,
 * derived from what the world's sources know (never from what our resolver does). It is a
 * lower bound: a resolver that always picked the right query first.
 *
 * Per film, with an IMDb ID in the nomination:
 * - TMDb links the ID: find + details (2 TMDb).
 * - TMDb has the film but does not link the ID, and one search for a title the nomination
 *   carries finds it on the first page: find + one search + details (3 TMDb).
 * - Otherwise (TMDb lacks it, or no search from the nomination can reach it): find + one
 *   search (2 TMDb), then one OMDb call by ID; when OMDb lacks it, one Zyte fetch of the
 *   IMDb page (a missing page is one charged 404), two when IMDb answers its challenge (the
 *   first request is challenged; one more is the least that tells a challenge from a ban).
 * Without an IMDb ID: no find; one search (+ details when it can reach the film); else one
 * OMDb title call (by the English title: OMDb knows no other), and no Zyte call (an IMDb
 * page needs its ID). When OMDb cannot give the film, telling so takes two title calls
 * if the year-less one answers a namesake of another year (see omdbTitleHidden).
 *
 * A film nominated several times is resolved once (the cache holds it afterwards): the
 * minimum counts each distinct film once, in its best-informed form (with its IMDb ID when
 * any of its nominations carries it).
 */

/** Upstream calls per source. */
interface SourceCallCounts {
  tmdb: number;
  omdb: number;
  zyte: number;
}

/** Why a film needs the calls it needs. */
type MinimumCase =
  | 'tmdb_linked'
  | 'tmdb_unlinked'
  | 'tmdb_unreachable_omdb'
  | 'tmdb_unreachable_imdb'
  | 'tmdb_unreachable_imdb_missing'
  | 'tmdb_unreachable_imdb_challenged'
  | 'no_id_tmdb'
  | 'no_id_omdb'
  | 'no_id_none'
  | 'no_id_none_namesake';

/** The minimum for one film. */
interface FilmMinimum extends SourceCallCounts {
  imdbId: string;
  case: MinimumCase;
}

/** What the minimum needs of one nomination: which film it means and what it says. */
export interface NominatedFilm {
  /** The film's true IMDb ID (from the answer key), whether or not the nomination carries it. */
  imdbId: string;
  /** Whether the nomination itself carries the IMDb ID. */
  withImdbId: boolean;
  title: string;
  originalTitle: string | null;
  year: number | null;
}

/** The minimum over a set of nominations: totals, per film, and films per case. */
export interface WorldMinimum {
  films: number;
  calls: SourceCallCounts;
  perFilm: FilmMinimum[];
  cases: Partial<Record<MinimumCase, number>>;
}

/** TMDb's page size: a film beyond the first page needs a second request for that query. */
const firstPage = 20;

/** Titles the nomination gives a resolver to search with. */
function queryTitles(nomination: NominatedFilm): string[] {
  const titles = [nomination.title];
  if (nomination.originalTitle !== null && nomination.originalTitle !== nomination.title)
    titles.push(nomination.originalTitle);
  return titles;
}

/** Whether one TMDb search from the nomination (a title, with or without its year) lists the film on its first page. */
function tmdbReachable(catalog: Catalog, film: WorldFilm, nomination: NominatedFilm): boolean {
  if (!film.tmdb.present) return false;
  const filters =
    nomination.year === null
      ? [{}]
      : [{}, { year: nomination.year }, { primaryReleaseYear: nomination.year }];
  return queryTitles(nomination).some((title) =>
    filters.some((f) =>
      catalog
        .tmdbSearch(title, f)
        .slice(0, firstPage)
        .some((hit) => hit.imdbId === film.imdbId),
    ),
  );
}

/**
 * Whether one OMDb `t=` lookup answers this very film: the nomination's (English) title,
 * with its year or without. Never the original title: OMDb matches `t=` against the English
 * title only and keeps no original title (omdbapi/OMDb-API#118), whatever a twin answers.
 * `y=` is OMDb's exact filter on the IMDb year.
 */
function omdbReachableByTitle(catalog: Catalog, film: WorldFilm, nomination: NominatedFilm): boolean {
  if (!film.omdb.present) return false;
  return [nomination.year ?? undefined, undefined].some(
    (year) => catalog.omdbByTitle(nomination.title, year)?.imdbId === film.imdbId,
  );
}

/**
 * Whether telling that OMDb cannot answer the film by title takes both `t=` queries: the
 * year-less one answers a namesake of another year, which hides any film of the nomination's
 * year (`t=` gives one film), and `y=` alone cannot rule out a film of another IMDb year.
 * When the year-less query answers nothing (no film of that title) or a film of the
 * nomination's year (what `y=` would answer too), that one call settles it.
 */
function omdbTitleHidden(catalog: Catalog, nomination: NominatedFilm): boolean {
  if (nomination.year === null) return false;
  const answered = catalog.omdbByTitle(nomination.title, undefined);
  return answered !== undefined && answered.releaseYear !== nomination.year;
}

/** The minimum calls for one film, as nominated. */
function filmMinimum(catalog: Catalog, nomination: NominatedFilm): FilmMinimum {
  const film = catalog.film(nomination.imdbId);
  if (film === undefined) throw new Error(`world minimum: ${nomination.imdbId} is not in the world`);
  const of = (c: MinimumCase, tmdb: number, omdb: number, zyte: number): FilmMinimum => ({
    imdbId: film.imdbId,
    case: c,
    tmdb,
    omdb,
    zyte,
  });
  if (!nomination.withImdbId) {
    if (tmdbReachable(catalog, film, nomination)) return of('no_id_tmdb', 2, 0, 0);
    if (omdbReachableByTitle(catalog, film, nomination)) return of('no_id_omdb', 1, 1, 0);
    return omdbTitleHidden(catalog, nomination)
      ? of('no_id_none_namesake', 1, 2, 0)
      : of('no_id_none', 1, 1, 0);
  }
  if (film.tmdb.present && film.tmdb.imdbLinked) return of('tmdb_linked', 2, 0, 0);
  if (tmdbReachable(catalog, film, nomination)) return of('tmdb_unlinked', 3, 0, 0);
  if (film.omdb.present) return of('tmdb_unreachable_omdb', 2, 1, 0);
  if (film.imdb === 'blocked') return of('tmdb_unreachable_imdb_challenged', 2, 1, 2);
  return of(film.imdb === 'missing' ? 'tmdb_unreachable_imdb_missing' : 'tmdb_unreachable_imdb', 2, 1, 1);
}

/** The minimum calls for nominations of the world's films (each distinct film counted once). */
export function worldMinimum(
  world: World,
  nominations: readonly NominatedFilm[],
  catalog: Catalog = new Catalog(world),
): WorldMinimum {
  const byFilm = new Map<string, NominatedFilm>();
  for (const n of nominations) {
    const seen = byFilm.get(n.imdbId);
    if (seen === undefined || (!seen.withImdbId && n.withImdbId)) byFilm.set(n.imdbId, n);
  }
  const perFilm = [...byFilm.values()].map((n) => filmMinimum(catalog, n));
  const calls: SourceCallCounts = { tmdb: 0, omdb: 0, zyte: 0 };
  const cases: WorldMinimum['cases'] = {};
  for (const m of perFilm) {
    calls.tmdb += m.tmdb;
    calls.omdb += m.omdb;
    calls.zyte += m.zyte;
    cases[m.case] = (cases[m.case] ?? 0) + 1;
  }
  return { films: perFilm.length, calls, perFilm, cases };
}

/** The minimum's view of nominations with their answer key entries (as worldNominations gives them). */
export function nominatedFilms(
  items: readonly {
    nomination: {
      film: { imdbId: string | null; title: string; originalTitle: string | null; year: number | null };
    };
    answer: { imdbId: string };
  }[],
): NominatedFilm[] {
  return items.map(({ nomination, answer }) => ({
    imdbId: answer.imdbId,
    withImdbId: nomination.film.imdbId !== null,
    title: nomination.film.title,
    originalTitle: nomination.film.originalTitle,
    year: nomination.film.year,
  }));
}
