import { pick, randomInt, type Random } from './prng.js';
import type { DecoyKind, WorldFilm } from './world.js';

/**
 * Decoys: real catalog entries no nomination targets, built to catch a matcher that takes
 * the first search hit. Each imitates one nominated film.
 */

/** Allocates IMDb and TMDb IDs that no other film of the world uses. */
export class IdAllocator {
  private readonly imdb = new Set<string>();
  private readonly tmdb = new Set<number>();

  constructor(private readonly random: Random) {}

  reserveImdb(id: string): void {
    this.imdb.add(id);
  }

  imdbId(): string {
    for (;;) {
      const digits = this.random() < 0.5 ? 7 : 8;
      const id = `tt${String(randomInt(this.random, 1, 10 ** digits - 1)).padStart(digits, '0')}`;
      if (!this.imdb.has(id)) {
        this.imdb.add(id);
        return id;
      }
    }
  }

  tmdbId(): number {
    for (;;) {
      const id = randomInt(this.random, 10_000, 1_500_000);
      if (!this.tmdb.has(id)) {
        this.tmdb.add(id);
        return id;
      }
    }
  }
}

/** Helpers the generator lends to the decoy builder: fresh people and years in range. */
export interface DecoyTools {
  random: Random;
  ids: IdAllocator;
  director(): string;
  cast(): string[];
  plot(): string;
  genres(): string[];
  maxYear: number;
}

function similarTitle(random: Random, title: string): string {
  const variants: string[] = [];
  if (/^the /i.test(title)) variants.push(title.slice(4));
  else variants.push(`The ${title}`);
  variants.push(`${title} II`, `${title}: A Love Story`, `Return to ${title}`);
  const words = title.split(' ');
  const last = words[words.length - 1] ?? '';
  if (/[a-z]$/i.test(last) && !/s$/i.test(last)) variants.push([...words.slice(0, -1), `${last}s`].join(' '));
  return pick(random, variants);
}

function otherYear(random: Random, year: number, min: number, max: number, maxYear: number): number {
  for (;;) {
    const delta = randomInt(random, min, max) * (random() < 0.5 ? -1 : 1);
    const y = year + delta;
    if (y >= 1920 && y <= maxYear) return y;
  }
}

/** Which decoy kinds make sense for a film: an English-is-original trap needs two different titles. */
export function decoyKindsFor(film: WorldFilm): DecoyKind[] {
  const kinds: DecoyKind[] = ['same-title-other-year', 'similar-title', 'remake'];
  if (film.originalTitle !== film.title) kinds.push('english-is-original');
  return kinds;
}

/** Builds one decoy of the given kind imitating `target`. */
export function makeDecoy(kind: DecoyKind, target: WorldFilm, tools: DecoyTools): WorldFilm {
  const { random } = tools;
  let title = target.title;
  let originalTitle = target.originalTitle;
  let year = target.releaseYear;
  const directors = [tools.director()];
  let languages = target.languages;
  let countries = target.countries;
  switch (kind) {
    case 'same-title-other-year':
      year = otherYear(random, target.releaseYear, 2, 12, tools.maxYear);
      break;
    case 'similar-title':
      title = similarTitle(random, target.title);
      originalTitle =
        target.originalTitle === target.title ? title : similarTitle(random, target.originalTitle);
      year = otherYear(random, target.releaseYear, 0, 2, tools.maxYear);
      break;
    case 'remake':
      year = otherYear(random, target.releaseYear, 18, 45, tools.maxYear);
      languages = ['en'];
      countries = ['US'];
      originalTitle = title;
      break;
    case 'english-is-original':
      // An English-language film whose own title is the nominated film's English title.
      originalTitle = target.title;
      title = target.title;
      year = otherYear(random, target.releaseYear, 1, 15, tools.maxYear);
      languages = ['en'];
      countries = [pick(random, ['US', 'GB', 'AU', 'CA'])];
      break;
  }
  const releaseDate = `${year}-${String(randomInt(random, 1, 12)).padStart(2, '0')}-${String(randomInt(random, 1, 28)).padStart(2, '0')}`;
  return {
    imdbId: tools.ids.imdbId(),
    tmdbId: tools.ids.tmdbId(),
    title,
    originalTitle,
    festivalYear: null,
    releaseYear: year,
    directors,
    cast: tools.cast(),
    genres: tools.genres(),
    runtimeMinutes: randomInt(random, 80, 140),
    countries,
    languages,
    plot: tools.plot(),
    rating: { value: Math.round((5 + random() * 3.5) * 10) / 10, votes: randomInt(random, 200, 250_000) },
    tmdb: { present: true, imdbLinked: true, title, originalTitle, alternativeTitles: [], releaseDate },
    omdb: { present: random() < 0.9 },
    imdb: 'present',
    decoy: true,
    decoyKind: kind,
    decoyOf: target.imdbId,
  };
}
