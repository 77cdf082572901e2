import type { Nomination } from '../domain/nomination.js';
import { createRandom } from './prng.js';
import type { Answer, World } from './world.js';

export interface WorldNominationOptions {
  /** Festival key prefix: `cannes` gives `cannes_<edition year>`. */
  festival?: string;
  category?: string;
  /** Share of nominations published without an IMDb ID (as many real lineups are). */
  withoutImdbIdShare?: number;
  /** Share flagged critical (they may use critical-only tiers). */
  criticalShare?: number;
  seed?: number;
  producedAt?: number;
}

/**
 * The nominations a festival would publish for the world's nominated films (its answer
 * key): the lineup's title, original title, edition year and directors, as an upstream
 * producer sends them. Ids are stable, so publishing twice gives the same nominations.
 */
export function worldNominations(
  world: World,
  options: WorldNominationOptions = {},
): { nomination: Nomination; answer: Answer }[] {
  const random = createRandom(options.seed ?? world.meta.seed);
  const festival = options.festival ?? 'cannes';
  const category = options.category ?? 'competition';
  return world.answers.map((answer) => {
    const withoutId = random() < (options.withoutImdbIdShare ?? 0);
    const critical = random() < (options.criticalShare ?? 0);
    const year = answer.nomination.year;
    const nomination: Nomination = {
      nominationId: `${festival}_${year}:${category}:${answer.imdbId}`,
      festival: `${festival}_${year}`,
      editionYear: year,
      category,
      film: {
        imdbId: withoutId ? null : answer.imdbId,
        title: answer.nomination.title,
        originalTitle: answer.nomination.originalTitle,
        year,
        directors: answer.nomination.directors,
      },
      people: answer.nomination.directors,
      won: false,
      critical,
      producedAt: options.producedAt ?? Date.now(),
    };
    return { nomination, answer };
  });
}
