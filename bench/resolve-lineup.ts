import type { Nomination } from '../src/domain/nomination.js';
import { worldNominations } from '../src/twin/world-nominations.js';
import type { Answer, World } from '../src/twin/world.js';

/** Categories a film can be nominated in again; each round uses the next one. */
const categories = [
  'competition',
  'un_certain_regard',
  'camera_dor',
  'jury_prize',
  'best_director',
  'best_screenplay',
  'best_actress',
  'best_actor',
];

/**
 * `total` nominations of the world's films: round 0 is the lineup as the festival
 * published it, later rounds nominate the same films again under other categories and
 * festivals (new nomination ids, same films), as a bench needs to reach large counts
 * with a bounded catalog.
 */
export function renominations(
  world: World,
  options: { total: number; seed: number; withoutImdbIdShare: number; startRound?: number },
): Nomination[] {
  return renominationsWithAnswers(world, options).map((n) => n.nomination);
}

/** The same nominations, each with the answer key entry of the film it means. */
export function renominationsWithAnswers(
  world: World,
  options: { total: number; seed: number; withoutImdbIdShare: number; startRound?: number },
): { nomination: Nomination; answer: Answer }[] {
  const out: { nomination: Nomination; answer: Answer }[] = [];
  const films = world.answers.length;
  if (films === 0) return out;
  for (let round = options.startRound ?? 0; out.length < options.total; round += 1) {
    const category = categories[round % categories.length] ?? 'competition';
    const festival =
      round < categories.length ? 'cannes' : `festival${Math.floor(round / categories.length)}`;
    const lineup = worldNominations(world, {
      festival,
      category,
      seed: options.seed + round,
      withoutImdbIdShare: options.withoutImdbIdShare,
    });
    for (const entry of lineup.slice(0, options.total - out.length)) out.push(entry);
  }
  return out;
}
