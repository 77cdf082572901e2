import { describe, expect, it } from 'vitest';
import type { Nomination } from '../../src/domain/nomination.js';
import { collectionNames } from '../../src/persistence/collections.js';
import { createRandom } from '../../src/twin/prng.js';
import type { Answer } from '../../src/twin/world.js';
import { generateWorld } from '../../src/twin/world-generator.js';
import { worldNominations } from '../../src/twin/world-nominations.js';
import { consumeN } from '../helpers/kafka.js';
import { startPipeline, type TestPipeline } from '../helpers/pipeline.js';

// One film, one movie, whatever the order: a lineup from the real Cannes CSV in which a
// third of the films are in TMDb without an IMDb link, nominated both with and without an
// IMDb id (a second category), some of them stubs. The same nominations are published in
// three orders, with 16 messages in flight so that writes race, into fresh databases.

const world = generateWorld({ seed: 11, size: 66 });

/** Each film's competition nomination (with its IMDb id) and, for most, a second one without. */
function lineup(): { nomination: Nomination; answer: Answer }[] {
  const withId = worldNominations(world, { category: 'competition', seed: 3 });
  const withoutId = worldNominations(world, { category: 'jury_prize', withoutImdbIdShare: 1, seed: 3 });
  const pickRandom = createRandom(5);
  // Films TMDb does not link to IMDb always get the second nomination: they are the ones that split.
  const second = withoutId.filter(({ answer }) => !answer.tmdbFindByImdbId || pickRandom() < 0.5);
  return [...withId, ...second];
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = createRandom(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

interface RunResult {
  movies: string[];
  problems: string[];
  splits: string[];
  /** Movies that took over another key (re-keyed or merged). */
  replacing: number;
  /** Review items closed because their movie went into another. */
  mergedItems: number;
}

/** Every event on movie.resolved and movie.stub, decoded (replacesKeys is absent before the field existed). */
interface MovieEvent {
  movieKey: string;
  replacesKeys?: string[];
  nominationIds: string[];
}

async function events(pipeline: TestPipeline): Promise<MovieEvent[]> {
  const out: MovieEvent[] = [];
  for (const [topic, schema] of [
    [pipeline.config.kafka.topics.resolved, 'movieResolved'],
    [pipeline.config.kafka.topics.stub, 'movieStub'],
  ] as const) {
    const offsets = await pipeline.admin.fetchTopicOffsets(topic);
    const count = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
    if (count === 0) continue;
    for (const message of await consumeN(pipeline.kafka, topic, count, 30_000))
      out.push(await pipeline.codec.decode(schema, message.value));
  }
  return out;
}

/**
 * The films in a seeded order with each film's nominations side by side, so that they are
 * in flight together (different message keys, so different partitions) and their writes race.
 */
function filmsTogether(seed: number): { nomination: Nomination; answer: Answer }[] {
  const all = lineup();
  const films = shuffled([...new Set(all.map((i) => i.answer.imdbId))], seed);
  return films.flatMap((id) => all.filter((i) => i.answer.imdbId === id));
}

async function runOrder(seed: number, together = false): Promise<RunResult> {
  const items = together ? filmsTogether(seed) : shuffled(lineup(), seed);
  const pipeline = await startPipeline({
    world,
    // A little latency with jitter, so that the 16 messages in flight finish in varying order.
    twinOptions: { seed, tmdb: { latencyMs: 5, jitterMs: 40 }, omdb: { latencyMs: 5, jitterMs: 40 } },
    env: { CONSUMER_CONCURRENCY: '16', ENRICHMENT_ENABLED: 'false', CONSOLE_ENABLED: 'false' },
  });
  await pipeline.startInstance();
  await pipeline.publish(items.map((i) => i.nomination));
  const { db } = pipeline;
  const nominations = db.collection(collectionNames.nominations);
  const movies = db.collection(collectionNames.movies);
  await pipeline.waitFor(
    `${items.length} nominations recorded`,
    async () => (await nominations.countDocuments()) >= items.length,
    240_000,
  );
  // Merges run after the nomination is recorded: wait until the movies stop changing.
  let last = '';
  await pipeline.waitFor('movies settled', async () => {
    const now = JSON.stringify(
      await movies.find({}, { projection: { _id: 0, key: 1, version: 1 } }).toArray(),
    );
    const settled = now === last;
    last = now;
    return settled;
  });

  const stored = await movies.find().toArray();
  const problems: string[] = [];
  const keys = new Set(stored.map((m) => m.key as string));
  const seen = new Map<string, string>();
  for (const m of stored) {
    for (const id of [
      m.imdbId === undefined ? null : `imdb ${m.imdbId}`,
      m.tmdbId === undefined ? null : `tmdb ${m.tmdbId}`,
    ]) {
      if (id === null) continue;
      if (seen.has(id)) problems.push(`${id} held by ${seen.get(id)} and ${m.key}`);
      seen.set(id, m.key as string);
    }
    // A TMDb id kept only in the data of a second movie is a split too.
    const dataTmdb = (m.data as { externalIds?: { tmdbId?: number } } | undefined)?.externalIds?.tmdbId;
    if (dataTmdb !== undefined && m.tmdbId === undefined)
      problems.push(`${m.key} keeps TMDb ${dataTmdb} in its data only`);
  }
  const stubIds = new Map<string, string>();
  for (const n of await nominations.find().toArray()) {
    if (!keys.has(n.movieKey as string))
      problems.push(`nomination ${n.nominationId} links to missing ${n.movieKey}`);
    stubIds.set(n.nominationId as string, n.movieKey as string);
  }
  const merged = new Set(stored.flatMap((m) => (m.aliasKeys as string[] | undefined) ?? []));
  // Merges are finished and announced: one event of the survivor names each key it replaced.
  const announced = await events(pipeline);
  for (const m of stored) {
    if (m.merging !== undefined) problems.push(`${m.key} has an unfinished merge`);
    if (((m.replacesKeys as string[] | undefined) ?? []).length > 0)
      problems.push(`${m.key} has unannounced replaced keys`);
    for (const alias of (m.aliasKeys as string[] | undefined) ?? [])
      if (!announced.some((e) => e.movieKey === m.key && (e.replacesKeys ?? []).includes(alias)))
        problems.push(`no event of ${m.key} names ${alias} as replaced`);
  }
  // A consumer of the events knows every nomination of every movie: some event of the movie
  // lists them all (a movie's list only grows here, no nomination moves to another film).
  const nominationsOf = new Map<string, string[]>();
  for (const [id, key] of stubIds) nominationsOf.set(key, [...(nominationsOf.get(key) ?? []), id]);
  for (const [key, ids] of nominationsOf)
    if (!announced.some((e) => e.movieKey === key && ids.every((id) => e.nominationIds.includes(id))))
      problems.push(`no event of ${key} lists all its nominations (${ids.join(', ')})`);
  for (const e of announced)
    for (const k of e.replacesKeys ?? [])
      if (keys.has(k)) problems.push(`event says ${e.movieKey} replaces ${k}, which still exists`);
  for (const item of await db.collection(collectionNames.reviewQueue).find({ status: 'open' }).toArray()) {
    const key = item.movieKey as string;
    if (!keys.has(key) || merged.has(key)) problems.push(`open review item for ${key}, which is not a movie`);
  }

  // Every nomination of one film links to one movie, unless a movie linked holds another film's id (a match error, not a split).
  const byFilm = new Map<string, Set<string>>();
  for (const { nomination, answer } of items) {
    const set = byFilm.get(answer.imdbId) ?? new Set<string>();
    set.add(stubIds.get(nomination.nominationId) ?? 'none');
    byFilm.set(answer.imdbId, set);
  }
  const byKey = new Map(stored.map((m) => [m.key as string, m]));
  const splits: string[] = [];
  for (const [imdbId, linked] of byFilm) {
    if (linked.size < 2) continue;
    const answer = world.answers.find((a) => a.imdbId === imdbId);
    const wrong = [...linked].some((k) => {
      const m = byKey.get(k);
      return (
        (m?.imdbId !== undefined && m.imdbId !== imdbId) ||
        (m?.tmdbId !== undefined && m.tmdbId !== answer?.tmdbId)
      );
    });
    if (!wrong) splits.push(`${imdbId} ${answer?.nomination.title}: ${[...linked].join(' + ')}`);
  }

  const rows = stored
    .map(
      (m) => `${m.key as string} imdb=${m.imdbId ?? '-'} tmdb=${m.tmdbId ?? '-'} ${m.importType as string}`,
    )
    .sort();
  if (process.env.MERGE_DEBUG)
    console.log(seed, { problems, splits, movies: rows.length, aliases: [...merged] });
  const replacing = stored.filter((m) => ((m.aliasKeys as string[] | undefined) ?? []).length > 0).length;
  const mergedItems = await db.collection(collectionNames.reviewQueue).countDocuments({ status: 'merged' });
  return { movies: rows, problems, splits, replacing, mergedItems };
}

describe('one film, one movie, whatever the order', () => {
  it('when the same lineup is published in three orders (and once with each film’s nominations side by side) with racing writers, then the three sets of movies are identical, no film is split, and no review item refers to a merged movie', async () => {
    const unlinked = world.answers.filter((a) => a.tmdbPresent && !a.tmdbFindByImdbId).length;
    expect(unlinked).toBeGreaterThanOrEqual(10);
    const runs: RunResult[] = [];
    for (const seed of [101, 202, 303]) runs.push(await runOrder(seed));
    runs.push(await runOrder(404, true));
    for (const run of runs) {
      expect(run.problems).toEqual([]);
      expect(run.splits).toEqual([]);
      // The lineup does exercise the rule: films were first stored under a second key.
      expect(run.replacing).toBeGreaterThanOrEqual(5);
      expect(run.mergedItems).toBeGreaterThanOrEqual(1);
    }
    expect(runs[1]?.movies).toEqual(runs[0]?.movies);
    expect(runs[2]?.movies).toEqual(runs[0]?.movies);
    expect(runs[3]?.movies).toEqual(runs[0]?.movies);
  }, 600_000);
});
