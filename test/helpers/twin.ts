import { onTestFinished } from 'vitest';
import {
  TWIN_OMDB_KEY,
  TWIN_TMDB_API_KEY,
  TWIN_TMDB_TOKEN,
  TWIN_ZYTE_KEY,
  type TwinOptionsInput,
  type TwinOptionsPatch,
} from '../../src/twin/options.js';
import type { TwinState } from '../../src/twin/reply.js';
import { startTwin, type TwinUrls } from '../../src/twin/server.js';
import { emptyWorld, type Answer, type World, type WorldFilm } from '../../src/twin/world.js';

/** A running twin for one test: where it is, the keys it accepts, and its knobs. */
export interface TestTwin {
  urls: TwinUrls;
  keys: { tmdbToken: string; tmdbApiKey: string; omdbKey: string; zyteKey: string };
  counts(): TwinState['counts'];
  chargedUsd(): number;
  setOptions(patch: TwinOptionsPatch): void;
  setWorld(world: World): void;
  reset(): void;
  close(): Promise<void>;
}

/**
 * Starts a twin on a free port. Inside a test it closes itself when the test ends; from a
 * beforeAll, call close() in afterAll.
 */
export async function startTestTwin(
  init: { world?: World; options?: TwinOptionsInput } = {},
): Promise<TestTwin> {
  const { twin, urls } = await startTwin({ world: init.world ?? emptyWorld(), options: init.options ?? {} });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await twin.close();
  };
  try {
    onTestFinished(close);
  } catch {
    // Not inside a test (beforeAll): the caller closes it.
  }
  return {
    urls,
    keys: {
      tmdbToken: TWIN_TMDB_TOKEN,
      tmdbApiKey: TWIN_TMDB_API_KEY,
      omdbKey: TWIN_OMDB_KEY,
      zyteKey: TWIN_ZYTE_KEY,
    },
    counts: () => twin.counts(),
    chargedUsd: () => twin.chargedUsd(),
    setOptions: (patch) => void twin.setOptions(patch),
    setWorld: (world) => twin.setWorld(world),
    reset: () => twin.reset(),
    close,
  };
}

let nextId = 1;

/** A plausible catalog film; every source has it unless the overrides say otherwise. */
export function twinFilm(
  overrides: Partial<Omit<WorldFilm, 'tmdb'>> & { tmdb?: Partial<WorldFilm['tmdb']> } = {},
): WorldFilm {
  const n = nextId++;
  const title = overrides.title ?? `Twin Film ${n}`;
  const originalTitle = overrides.originalTitle ?? title;
  const releaseYear = overrides.releaseYear ?? 2023;
  const base: WorldFilm = {
    imdbId: `tt${String(90_000_000 + n)}`,
    tmdbId: 9_000_000 + n,
    title,
    originalTitle,
    festivalYear: 2023,
    releaseYear,
    directors: ['Ada Director'],
    cast: ['Bea Actor', 'Cid Actor', 'Dee Actor'],
    genres: ['Drama'],
    runtimeMinutes: 108,
    countries: ['FR'],
    languages: ['fr'],
    plot: 'A woman returns to her village. Nothing is as she left it.',
    rating: { value: 7.1, votes: 12345 },
    omdb: { present: true },
    imdb: 'present',
    decoy: false,
    ...overrides,
    tmdb: {
      present: true,
      imdbLinked: true,
      title,
      originalTitle,
      alternativeTitles: [],
      releaseDate: `${releaseYear}-05-24`,
      ...overrides.tmdb,
    },
  };
  return base;
}

/** A world of the given films, each (non-decoy) one nominated under its own titles. */
export function twinWorld(films: WorldFilm[]): World {
  const answers: Answer[] = films
    .filter((f) => !f.decoy)
    .map((f) => ({
      imdbId: f.imdbId,
      tmdbId: f.tmdbId,
      nomination: {
        title: f.title,
        originalTitle: f.originalTitle === f.title ? null : f.originalTitle,
        year: f.festivalYear ?? f.releaseYear,
        directors: f.directors,
      },
      tmdbFindByImdbId: f.tmdb.present && f.tmdb.imdbLinked,
      tmdbPresent: f.tmdb.present,
      omdb: f.omdb.present,
      imdb: f.imdb,
    }));
  return emptyWorld(films, answers);
}
