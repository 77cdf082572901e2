import type { Answer, World, WorldFilm } from '../src/twin/world.js';

/** The verdict on one film for one matcher. */
export interface FilmVerdict {
  answer: Answer;
  /** Some source can find it from what the nomination says. */
  knowable: boolean;
  kind: 'accepted' | 'review' | 'none';
  /** The catalog film the matcher accepted or proposed, if any. */
  chosen?: WorldFilm;
  calls: { tmdb: number; omdb: number; imdb: number };
}

/** The figures the benchmark prints for one matcher. */
export interface Tally {
  films: number;
  knowable: number;
  accepted: number;
  acceptedRight: number;
  acceptedWrong: number;
  decoysAccepted: number;
  review: number;
  reviewRight: number;
  none: number;
  precision: number;
  recall: number;
  reviewShare: number;
  callsPerFilm: { tmdb: number; omdb: number; imdb: number };
  tmdbCallsPerTmdbFilm: number;
  /** OMDb + Zyte calls made for films TMDb accepted (goal: 0). */
  laterCallsAfterTmdbCertain: number;
}

/** Index of the world's films by TMDb and IMDb ID, to tell which film a matcher chose. */
export function filmIndex(world: World): { byTmdb: Map<number, WorldFilm>; byImdb: Map<string, WorldFilm> } {
  return {
    byTmdb: new Map(world.films.map((f) => [f.tmdbId, f])),
    byImdb: new Map(world.films.map((f) => [f.imdbId, f])),
  };
}

const share = (n: number, d: number) => (d === 0 ? 0 : n / d);

export function tally(verdicts: FilmVerdict[], tmdbCertain: (v: FilmVerdict) => boolean): Tally {
  const accepted = verdicts.filter((v) => v.kind === 'accepted');
  const right = (v: FilmVerdict) => v.chosen?.imdbId === v.answer.imdbId;
  const acceptedRight = accepted.filter(right).length;
  const knowable = verdicts.filter((v) => v.knowable);
  const tmdbFilms = verdicts.filter((v) => v.answer.tmdbPresent);
  const sum = (key: 'tmdb' | 'omdb' | 'imdb', list = verdicts) => list.reduce((n, v) => n + v.calls[key], 0);
  const review = verdicts.filter((v) => v.kind === 'review');
  return {
    films: verdicts.length,
    knowable: knowable.length,
    accepted: accepted.length,
    acceptedRight,
    acceptedWrong: accepted.length - acceptedRight,
    decoysAccepted: accepted.filter((v) => v.chosen?.decoy === true).length,
    review: review.length,
    reviewRight: review.filter(right).length,
    none: verdicts.filter((v) => v.kind === 'none').length,
    precision: share(acceptedRight, accepted.length),
    recall: share(knowable.filter((v) => v.kind === 'accepted' && right(v)).length, knowable.length),
    reviewShare: share(review.length, verdicts.length),
    callsPerFilm: {
      tmdb: share(sum('tmdb'), verdicts.length),
      omdb: share(sum('omdb'), verdicts.length),
      imdb: share(sum('imdb'), verdicts.length),
    },
    tmdbCallsPerTmdbFilm: share(sum('tmdb', tmdbFilms), tmdbFilms.length),
    laterCallsAfterTmdbCertain: verdicts
      .filter(tmdbCertain)
      .reduce((n, v) => n + v.calls.omdb + v.calls.imdb, 0),
  };
}
