import { hashString } from './prng.js';
import type { World, WorldFilm } from './world.js';

/** Lower case, no diacritics, words split on anything that is not a letter or digit. */
function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** Years the film was released in anywhere (festival premiere, theatrical): TMDb's `year` filter matches any. */
function releaseYears(film: WorldFilm): number[] {
  const years = new Set<number>([film.releaseYear]);
  if (film.festivalYear !== null) years.add(film.festivalYear);
  if (film.tmdb.releaseDate) years.add(Number(film.tmdb.releaseDate.slice(0, 4)));
  return [...years];
}

/** A popularity figure that is stable for a film and larger for rated, voted films. */
export function popularity(film: WorldFilm): number {
  const votes = film.rating?.votes ?? 0;
  return Math.round((Math.log10(votes + 10) * 4 + (hashString(film.imdbId) % 1000) / 250) * 1000) / 1000;
}

/** Search filters of TMDb's /search/movie. */
export interface SearchFilters {
  year?: number;
  primaryReleaseYear?: number;
}

/** The world indexed the way each service looks films up. */
export class Catalog {
  private readonly byImdb = new Map<string, WorldFilm>();
  private readonly byTmdb = new Map<number, WorldFilm>();
  private readonly tmdbTitles: { film: WorldFilm; titles: string[][] }[] = [];

  constructor(readonly world: World) {
    for (const film of world.films) {
      this.byImdb.set(film.imdbId, film);
      this.byTmdb.set(film.tmdbId, film);
      if (film.tmdb.present) {
        const titles = [
          film.tmdb.title,
          film.tmdb.originalTitle,
          ...film.tmdb.alternativeTitles.map((t) => t.title),
        ];
        this.tmdbTitles.push({ film, titles: titles.map(words) });
      }
    }
  }

  film(imdbId: string): WorldFilm | undefined {
    return this.byImdb.get(imdbId);
  }

  /** TMDb's find by IMDb ID: only films TMDb has and whose record links the IMDb ID. */
  tmdbFind(imdbId: string): WorldFilm | undefined {
    const film = this.byImdb.get(imdbId);
    return film?.tmdb.present && film.tmdb.imdbLinked ? film : undefined;
  }

  tmdbMovie(tmdbId: number): WorldFilm | undefined {
    const film = this.byTmdb.get(tmdbId);
    return film?.tmdb.present ? film : undefined;
  }

  /**
   * TMDb-like search: every query word must be a word of one of the film's titles (the last
   * one may be a prefix, as people type); exact title matches first, then popularity.
   */
  tmdbSearch(query: string, filters: SearchFilters): WorldFilm[] {
    const q = words(query);
    if (q.length === 0) return [];
    const last = q[q.length - 1] ?? '';
    const head = q.slice(0, -1);
    const joined = q.join(' ');
    const hits: { film: WorldFilm; exact: boolean }[] = [];
    for (const { film, titles } of this.tmdbTitles) {
      const match = titles.some((t) => head.every((w) => t.includes(w)) && t.some((w) => w.startsWith(last)));
      if (!match) continue;
      if (
        filters.primaryReleaseYear !== undefined &&
        film.tmdb.releaseDate.slice(0, 4) !== String(filters.primaryReleaseYear)
      )
        continue;
      if (filters.year !== undefined && !releaseYears(film).includes(filters.year)) continue;
      hits.push({ film, exact: titles.some((t) => t.join(' ') === joined) });
    }
    hits.sort(
      (a, b) =>
        Number(b.exact) - Number(a.exact) ||
        popularity(b.film) - popularity(a.film) ||
        a.film.tmdbId - b.film.tmdbId,
    );
    return hits.map((h) => h.film);
  }

  omdbById(imdbId: string): WorldFilm | undefined {
    const film = this.byImdb.get(imdbId);
    return film?.omdb.present ? film : undefined;
  }

  /** OMDb's t= is an exact (case- and accent-insensitive) title lookup; y= is the IMDb year. */
  omdbByTitle(title: string, year: number | undefined): WorldFilm | undefined {
    const wanted = words(title).join(' ');
    if (!wanted) return undefined;
    const hits = this.world.films.filter(
      (f) =>
        f.omdb.present &&
        (year === undefined || f.releaseYear === year) &&
        (words(f.title).join(' ') === wanted || words(f.originalTitle).join(' ') === wanted),
    );
    hits.sort((a, b) => popularity(b) - popularity(a));
    return hits[0];
  }
}

/**
 * The date IMDb and OMDb give as the release: TMDb's when it agrees on the year, else a
 * stable day of the release year; null for an unreleased film (no rating yet).
 */
export function imdbReleaseDate(film: WorldFilm): string | null {
  if (film.tmdb.releaseDate.startsWith(String(film.releaseYear))) return film.tmdb.releaseDate;
  if (film.rating === null) return null;
  const h = hashString(film.imdbId);
  const month = String(1 + (h % 12)).padStart(2, '0');
  const day = String(1 + ((h >>> 8) % 28)).padStart(2, '0');
  return `${film.releaseYear}-${month}-${day}`;
}
