import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';

/**
 * The twin's world: one catalog of films that TMDb, OMDb and IMDb (through Zyte) serve,
 * each film saying what each source knows about it, plus the answer key of the nominated
 * films so that tests and benchmarks can score a resolver against the truth.
 */

const imdbId = z.string().regex(/^tt\d{7,10}$/, 'expected an IMDb title ID such as tt0038297');

/** An alternative title exactly as TMDb returns it in `alternative_titles.titles`. */
const alternativeTitleSchema = z.object({
  iso_3166_1: z.string(),
  title: z.string(),
  type: z.string(),
});

/** What TMDb knows of a film: whether it has it, whether its record links the IMDb ID, and its titles. */
const tmdbViewSchema = z.object({
  present: z.boolean(),
  imdbLinked: z.boolean(),
  title: z.string(),
  originalTitle: z.string(),
  alternativeTitles: z.array(alternativeTitleSchema),
  /** `YYYY-MM-DD`, or "" when TMDb has no release date yet (common for new festival films). */
  releaseDate: z.string().regex(/^(\d{4}-\d{2}-\d{2})?$/),
});

/** Why a decoy is in the catalog: the trap it sets for a matcher. */
const decoyKindSchema = z.enum(['same-title-other-year', 'similar-title', 'remake', 'english-is-original']);

const worldFilmSchema = z.object({
  imdbId,
  tmdbId: z.number().int().positive(),
  /** English title. */
  title: z.string().min(1),
  originalTitle: z.string().min(1),
  /** Festival edition that selected the film; null for decoys. */
  festivalYear: z.number().int().nullable(),
  releaseYear: z.number().int(),
  directors: z.array(z.string()),
  cast: z.array(z.string()),
  genres: z.array(z.string()),
  runtimeMinutes: z.number().int().positive().nullable(),
  /** ISO 3166-1 alpha-2. */
  countries: z.array(z.string()),
  /** ISO 639-1; the first is the original language. */
  languages: z.array(z.string()),
  plot: z.string(),
  /** IMDb user rating; null for a film without votes yet (unreleased): no aggregateRating on its page. */
  rating: z.object({ value: z.number().min(0).max(10), votes: z.number().int().nonnegative() }).nullable(),
  tmdb: tmdbViewSchema,
  omdb: z.object({ present: z.boolean() }),
  /** present: the page renders; blocked: IMDb answers its bot challenge; missing: 404. */
  imdb: z.enum(['present', 'blocked', 'missing']),
  /** A catalog entry no nomination targets (a trap for the matcher). */
  decoy: z.boolean(),
  decoyKind: decoyKindSchema.optional(),
  /** For a decoy, the imdbId of the nominated film it imitates. */
  decoyOf: imdbId.optional(),
});

/** The truth for one nominated film: the right IDs and what each source can do with it. */
const answerSchema = z.object({
  imdbId,
  tmdbId: z.number().int().positive(),
  /** What the nomination says (a festival lineup: title, original title, festival year, directors). */
  nomination: z.object({
    title: z.string(),
    originalTitle: z.string().nullable(),
    year: z.number().int(),
    directors: z.array(z.string()),
  }),
  tmdbFindByImdbId: z.boolean(),
  tmdbPresent: z.boolean(),
  omdb: z.boolean(),
  imdb: z.enum(['present', 'blocked', 'missing']),
});

/** The ratios a world was generated with (all fractions in [0, 1]). */
const worldRatiosSchema = z.object({
  /** Share of nominated films that TMDb's find-by-IMDb-ID misses. */
  tmdbFindMiss: z.number().min(0).max(1),
  /** Among those misses, the share that TMDb does not have at all (the rest: present, IMDb ID not linked). */
  tmdbAbsentOfMisses: z.number().min(0).max(1),
  /** Among TMDb find misses, the share OMDb knows. */
  omdbRescue: z.number().min(0).max(1),
  /** Share of films OMDb knows among those TMDb finds by ID. */
  omdbWhenTmdb: z.number().min(0).max(1),
  imdbBlocked: z.number().min(0).max(1),
  imdbMissing: z.number().min(0).max(1),
  /** Share of TMDb-present films without a release date. */
  emptyReleaseDate: z.number().min(0).max(1),
  /** Decoys per nominated film. */
  decoysPerFilm: z.number().min(0).max(5),
});
export type WorldRatios = z.infer<typeof worldRatiosSchema>;

const worldSchema = z.object({
  version: z.literal(1),
  meta: z.object({
    seed: z.number().int(),
    size: z.number().int().nonnegative(),
    ratios: worldRatiosSchema,
    source: z.string(),
  }),
  films: z.array(worldFilmSchema),
  answers: z.array(answerSchema),
});

export type AlternativeTitle = z.infer<typeof alternativeTitleSchema>;
export type DecoyKind = z.infer<typeof decoyKindSchema>;
/** One film of the twin's catalog. */
export type WorldFilm = z.infer<typeof worldFilmSchema>;
/** The answer key entry of one nominated film. */
export type Answer = z.infer<typeof answerSchema>;
/** A whole catalog with its answer key and generation parameters. */
export type World = z.infer<typeof worldSchema>;

/** Parses and checks a world: IDs must be unique across the catalog. */
export function parseWorld(value: unknown): World {
  const world = worldSchema.parse(value);
  const imdbIds = new Set<string>();
  const tmdbIds = new Set<number>();
  for (const film of world.films) {
    if (imdbIds.has(film.imdbId)) throw new Error(`world: duplicate imdbId ${film.imdbId}`);
    if (tmdbIds.has(film.tmdbId)) throw new Error(`world: duplicate tmdbId ${film.tmdbId}`);
    imdbIds.add(film.imdbId);
    tmdbIds.add(film.tmdbId);
  }
  return world;
}

/** An empty world, handy for tests that add films one by one. */
export function emptyWorld(films: WorldFilm[] = [], answers: Answer[] = []): World {
  return {
    version: 1,
    meta: {
      seed: 0,
      size: answers.length,
      ratios: {
        tmdbFindMiss: 0,
        tmdbAbsentOfMisses: 0,
        omdbRescue: 0,
        omdbWhenTmdb: 0,
        imdbBlocked: 0,
        imdbMissing: 0,
        emptyReleaseDate: 0,
        decoysPerFilm: 0,
      },
      source: 'hand-made',
    },
    films,
    answers,
  };
}

export async function loadWorld(path: string): Promise<World> {
  const text = await readFile(path, 'utf8');
  return parseWorld(JSON.parse(text) as unknown);
}

export async function saveWorld(path: string, world: World): Promise<void> {
  await writeFile(path, `${JSON.stringify(world, null, 1)}\n`, 'utf8');
}
