import { readLineup, type TwinLineupFilm } from './lineup.js';
import { createRandom, pick, randomInt, type Random } from './prng.js';
import { decoyKindsFor, IdAllocator, makeDecoy, type DecoyTools } from './world-decoys.js';
import {
  parseWorld,
  type AlternativeTitle,
  type Answer,
  type World,
  type WorldFilm,
  type WorldRatios,
} from './world.js';

/**
 * Builds a world from a real festival lineup with seeded, reproducible gaps that resemble
 * recent festival films: about half not findable in TMDb by IMDb ID (present but unlinked,
 * or absent), OMDb rescuing few of those, IMDb having nearly all, plus decoys.
 */

/** Defaults close to what the problem statement reports for new festival films. */
const defaultRatios: WorldRatios = {
  tmdbFindMiss: 0.5,
  tmdbAbsentOfMisses: 0.3,
  omdbRescue: 0.15,
  omdbWhenTmdb: 0.9,
  imdbBlocked: 0.03,
  imdbMissing: 0.02,
  emptyReleaseDate: 0.15,
  decoysPerFilm: 0.8,
};

export interface GenerateWorldInput {
  seed: number;
  /** How many lineup films are nominated (a seeded sample); default: the whole lineup. */
  size?: number;
  ratios?: Partial<WorldRatios>;
  /** Default: the Cannes competition CSV in shared/data. */
  lineup?: TwinLineupFilm[];
}

const firstNames = [
  'Léa',
  'Jonas',
  'Mariana',
  'Kenji',
  'Amara',
  'Piotr',
  'Sofia',
  'Youssef',
  'Ingrid',
  'Tomás',
  'Aylin',
  'Nikolai',
  'Chloé',
  'Dae-jung',
  'Fatou',
  'Matteo',
  'Zofia',
  'Arjun',
  'Eliška',
  'Rafael',
];
const lastNames = [
  'Moreau',
  'Lindqvist',
  'Okafor',
  'Tanaka',
  'Ferreira',
  'Kowalski',
  'Haddad',
  'Novák',
  'Bianchi',
  'Ortega',
  'Yilmaz',
  'Petrov',
  'Dubois',
  'Kim',
  'Diallo',
  'Andersen',
  'Szabó',
  'Rao',
  'García',
  'Müller',
];
const genrePool = [
  'Drama',
  'Drama',
  'Drama',
  'Comedy',
  'Romance',
  'Crime',
  'Thriller',
  'History',
  'War',
  'Documentary',
  'Music',
  'Mystery',
  'Family',
  'Fantasy',
];
const subjects = [
  'A widowed farmer',
  'An estranged sister',
  'A young nurse',
  'An ageing actor',
  'A border guard',
  'A teenage runaway',
  "A fisherman's widow",
  'A disgraced judge',
];
const events = [
  'returns to the village she left twenty years ago',
  'hides a stranger during one long winter',
  'tries to keep a failing cinema open',
  'is asked to testify against a friend',
  'crosses the country to bury a father',
  'falls for the wrong person at the worst time',
];
const endings = [
  'Nothing is as it was.',
  'Old debts come due.',
  'The past will not stay buried.',
  'Every choice has a price.',
  'Love is not enough.',
];

function bernoulli(random: Random, p: number): boolean {
  return random() < p;
}

/** Strips diacritics: a transliteration that TMDb often lists as an alternative title. */
function plainAscii(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '');
}

function makeTools(random: Random, ids: IdAllocator, maxYear: number): DecoyTools {
  const person = () => `${pick(random, firstNames)} ${pick(random, lastNames)}`;
  return {
    random,
    ids,
    maxYear,
    director: person,
    cast: () => Array.from({ length: randomInt(random, 3, 6) }, person),
    plot: () => `${pick(random, subjects)} ${pick(random, events)}. ${pick(random, endings)}`,
    genres: () => [
      ...new Set(Array.from({ length: randomInt(random, 1, 2) }, () => pick(random, genrePool))),
    ],
  };
}

function tmdbTitles(
  random: Random,
  entry: TwinLineupFilm,
  title: string,
  original: string,
): { tmdbTitle: string; alternativeTitles: AlternativeTitle[] } {
  const foreign = original !== title;
  // TMDb sometimes has no English translation yet: its title is then the original one.
  const tmdbTitle = foreign && bernoulli(random, 0.2) ? original : title;
  const alternativeTitles: AlternativeTitle[] = [];
  if (tmdbTitle !== title && bernoulli(random, 0.6))
    alternativeTitles.push({ iso_3166_1: 'US', title, type: '' });
  if (plainAscii(original) !== original && bernoulli(random, 0.5))
    alternativeTitles.push({
      iso_3166_1: entry.countries[0] ?? 'XX',
      title: plainAscii(original),
      type: 'transliteration',
    });
  if (bernoulli(random, 0.2))
    alternativeTitles.push({ iso_3166_1: 'FR', title: `${title} (working title)`, type: 'working title' });
  return { tmdbTitle, alternativeTitles };
}

function nominatedFilm(entry: TwinLineupFilm, ratios: WorldRatios, tools: DecoyTools): WorldFilm {
  const { random } = tools;
  const title = entry.title;
  const originalTitle = entry.originalTitle ?? entry.title;
  // Festival films often open in cinemas the year after their premiere.
  const releaseYear = entry.festivalYear + (bernoulli(random, 0.35) ? 1 : 0);
  const findMiss = bernoulli(random, ratios.tmdbFindMiss);
  const tmdbPresent = !findMiss || !bernoulli(random, ratios.tmdbAbsentOfMisses);
  const unreleased = bernoulli(random, 0.08);
  const releaseDate =
    unreleased || bernoulli(random, ratios.emptyReleaseDate)
      ? ''
      : `${releaseYear}-${String(randomInt(random, 1, 12)).padStart(2, '0')}-${String(randomInt(random, 1, 28)).padStart(2, '0')}`;
  const { tmdbTitle, alternativeTitles } = tmdbTitles(random, entry, title, originalTitle);
  const imdbDraw = random();
  return {
    imdbId: entry.imdbId,
    tmdbId: tools.ids.tmdbId(),
    title,
    originalTitle,
    festivalYear: entry.festivalYear,
    releaseYear,
    directors: entry.directors,
    cast: tools.cast(),
    genres: tools.genres(),
    runtimeMinutes: entry.runtimeMinutes,
    countries: entry.countries,
    languages: entry.languages,
    plot: tools.plot(),
    rating: unreleased
      ? null
      : { value: Math.round((5.5 + random() * 3) * 10) / 10, votes: randomInt(random, 150, 400_000) },
    tmdb: {
      present: tmdbPresent,
      imdbLinked: tmdbPresent && !findMiss,
      title: tmdbTitle,
      originalTitle,
      alternativeTitles,
      releaseDate,
    },
    omdb: { present: bernoulli(random, findMiss ? ratios.omdbRescue : ratios.omdbWhenTmdb) },
    imdb:
      imdbDraw < ratios.imdbMissing
        ? 'missing'
        : imdbDraw < ratios.imdbMissing + ratios.imdbBlocked
          ? 'blocked'
          : 'present',
    decoy: false,
  };
}

function answerOf(film: WorldFilm): Answer {
  return {
    imdbId: film.imdbId,
    tmdbId: film.tmdbId,
    nomination: {
      title: film.title,
      originalTitle: film.originalTitle === film.title ? null : film.originalTitle,
      year: film.festivalYear ?? film.releaseYear,
      directors: film.directors,
    },
    tmdbFindByImdbId: film.tmdb.present && film.tmdb.imdbLinked,
    tmdbPresent: film.tmdb.present,
    omdb: film.omdb.present,
    imdb: film.imdb,
  };
}

/** Seeded shuffle (Fisher–Yates). */
function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** The same seed, size, ratios and lineup always give the same world. */
export function generateWorld(input: GenerateWorldInput): World {
  const ratios: WorldRatios = { ...defaultRatios, ...input.ratios };
  const lineup = input.lineup ?? readLineup();
  const random = createRandom(input.seed);
  const ids = new IdAllocator(random);
  for (const entry of lineup) ids.reserveImdb(entry.imdbId);
  const size = Math.min(input.size ?? lineup.length, lineup.length);
  const chosen = shuffled(random, lineup)
    .slice(0, size)
    .sort((a, b) => a.festivalYear - b.festivalYear || a.imdbId.localeCompare(b.imdbId));
  const maxYear = Math.max(2026, ...lineup.map((l) => l.festivalYear + 1));
  const tools = makeTools(random, ids, maxYear);
  const nominated = chosen.map((entry) => nominatedFilm(entry, ratios, tools));
  const decoys: WorldFilm[] = [];
  for (const film of nominated) {
    const count = Math.floor(ratios.decoysPerFilm) + (bernoulli(random, ratios.decoysPerFilm % 1) ? 1 : 0);
    const kinds = shuffled(random, decoyKindsFor(film));
    for (let i = 0; i < count; i++)
      decoys.push(makeDecoy(kinds[i % kinds.length] ?? 'same-title-other-year', film, tools));
  }
  return parseWorld({
    version: 1,
    meta: { seed: input.seed, size, ratios, source: 'cannes-competition.csv' },
    films: [...nominated, ...decoys],
    answers: nominated.map(answerOf),
  });
}
