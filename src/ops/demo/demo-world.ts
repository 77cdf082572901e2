import type { Nomination } from '../../domain/nomination.js';
import type { TwinOptionsInput } from '../../twin/options.js';
import { generateWorld } from '../../twin/world-generator.js';
import { worldNominations } from '../../twin/world-nominations.js';
import type { Answer, World } from '../../twin/world.js';

/**
 * The demo's world: a seeded sample of the Cannes competition lineup (shared/data) with the
 * gaps recent festival films have upstream, and the nominations a festival would publish.
 */

/** The world, what is published, and the truth about each film. */
export interface DemoWorld {
  world: World;
  published: { nomination: Nomination; answer: Answer }[];
}

export function demoWorld(input: { seed: number; size: number; withoutImdbIdShare: number }): DemoWorld {
  const world = generateWorld({ seed: input.seed, size: input.size });
  const published = worldNominations(world, {
    withoutImdbIdShare: input.withoutImdbIdShare,
    seed: input.seed,
  });
  return { world, published };
}

/**
 * Mildly realistic upstreams: TMDb 20–60 ms, OMDb ~100 ms, Zyte ~300 ms, each with the rate
 * limit the service is configured with (so a 429 means the shared limiter misbehaved).
 */
export const demoTwinOptions = (seed: number): TwinOptionsInput => ({
  seed,
  tmdb: { latencyMs: 20, jitterMs: 40, rateLimit: { requests: 40, windowMs: 1000 } },
  omdb: { latencyMs: 80, jitterMs: 40, rateLimit: { requests: 10, windowMs: 1000 } },
  zyte: { latencyMs: 250, jitterMs: 100, rateLimit: { requests: 5, windowMs: 1000 } },
});

/** A few lines on what the world holds, so the user knows what to expect from the report. */
export function describeWorld({ world, published }: DemoWorld): string[] {
  const answers = published.map((p) => p.answer);
  const count = (test: (a: Answer) => boolean) => answers.filter(test).length;
  const years = answers.map((a) => a.nomination.year);
  const editions = new Set(published.map((p) => p.nomination.festival)).size;
  const withoutId = published.filter((p) => p.nomination.film.imdbId === null).length;
  const decoys = world.films.filter((f) => f.decoy).length;
  return [
    `${answers.length} films of the Cannes competition ${Math.min(...years)}–${Math.max(...years)} (${editions} editions), seed ${world.meta.seed}; ${withoutId} nominations carry no IMDb ID`,
    `answer key: TMDb finds ${count((a) => a.tmdbFindByImdbId)} by IMDb ID, has ${count((a) => a.tmdbPresent && !a.tmdbFindByImdbId)} more without the ID link, misses ${count((a) => !a.tmdbPresent)}; OMDb knows ${count((a) => a.omdb)}; IMDb pages: ${count((a) => a.imdb === 'present')} present, ${count((a) => a.imdb === 'blocked')} blocked, ${count((a) => a.imdb === 'missing')} missing`,
    `${decoys} decoy films (same title other year, remakes, similar titles) sit in the catalogs to tempt a careless matcher`,
  ];
}
