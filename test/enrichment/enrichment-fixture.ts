import { onTestFinished } from 'vitest';
import { Registry } from 'prom-client';
import { loadConfig } from '../../src/config.js';
import type { WorldFilm, World } from '../../src/twin/world.js';
import { openEnrichment, type EnrichmentHandle } from '../../src/enrichment/open-enrichment.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics, type ResolverMetrics } from '../../src/metrics/metrics.js';
import { collectionNames } from '../../src/persistence/collections.js';
import type { StoredMovie } from '../../src/persistence/movie-merge.js';
import { worldNominations } from '../../src/twin/world-nominations.js';
import { startPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { twinWorld } from '../helpers/twin.js';

/** What no source knows: TMDb lacks it, OMDb lacks it, its IMDb page is a 404. */
export const unknownEverywhere = {
  tmdb: { present: false, imdbLinked: false },
  omdb: { present: false },
  imdb: 'missing',
} as const;

/** The same world where the given films are now known to TMDb (linked to their IMDb ID). */
export function withTmdbKnowing(world: World, imdbIds: readonly string[]): World {
  const next = structuredClone(world);
  for (const film of next.films) {
    if (imdbIds.includes(film.imdbId)) film.tmdb = { ...film.tmdb, present: true, imdbLinked: true };
  }
  for (const answer of next.answers) {
    if (imdbIds.includes(answer.imdbId)) Object.assign(answer, { tmdbPresent: true, tmdbFindByImdbId: true });
  }
  return next;
}

/**
 * A pipeline that has consumed the world's nominations (movies as that world allows: the
 * unknown films are stubs), with the scheduled enrichment off so only the test enriches.
 */
export async function consumedPipeline(
  films: WorldFilm[],
  env: Record<string, string> = {},
): Promise<{ pipeline: TestPipeline; world: World; movies: () => Promise<Map<string, StoredMovie>> }> {
  const world = twinWorld(films);
  const pipeline = await startPipeline({ world, env: { ENRICHMENT_ENABLED: 'false', ...env } });
  await pipeline.startInstance();
  const lineup = worldNominations(world, { seed: 3 });
  await pipeline.publish(lineup.map((l) => l.nomination));
  const nominations = pipeline.db.collection(collectionNames.nominations);
  await pipeline.waitFor(
    `${lineup.length} nominations recorded`,
    async () => (await nominations.countDocuments()) >= lineup.length,
    60_000,
  );
  const movies = async () => {
    const rows = await pipeline.db
      .collection<StoredMovie>(collectionNames.movies)
      .find({}, { projection: { _id: 0 } })
      .toArray();
    return new Map(rows.map((m) => [m.key, m]));
  };
  return { pipeline, world, movies };
}

/** Enrichment deps on the pipeline's database and topics (optionally other settings), closed at test end. */
export async function enrichmentFor(
  pipeline: TestPipeline,
  overrides: Record<string, string> = {},
): Promise<EnrichmentHandle & { metrics: ResolverMetrics }> {
  const config =
    Object.keys(overrides).length === 0 ? pipeline.config : loadConfig({ ...pipeline.env, ...overrides });
  const metrics = createMetrics(new Registry(), { defaultMetrics: false });
  const handle = await openEnrichment(config, { logger: createLogger('silent'), metrics });
  onTestFinished(() => handle.close());
  return { ...handle, metrics };
}

/** The counter's value for one label set (0 when never counted). */
export async function counterValue(
  metrics: ResolverMetrics,
  labels: { from: string; to: string },
): Promise<number> {
  const { values } = await metrics.enrichmentUpgrades.get();
  return values.find((v) => v.labels.from === labels.from && v.labels.to === labels.to)?.value ?? 0;
}
