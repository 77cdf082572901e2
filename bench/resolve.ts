/**
 * npm run bench:resolve [-- --films 1000 --nominations 600 --long-run 100000 --skip-long | --long-only]
 *
 * End-to-end throughput of the real service (startService) on the local stack, with a twin
 * started in-process that has realistic latencies and rate limits (TMDb 40 req/s 30–80 ms,
 * OMDb 10 req/s ~150 ms, Zyte 5 req/s 1–2 s with occasional 520s):
 *   1. the lineup through the service as configured (CONSUMER_CONCURRENCY, default 16);
 *   2. the same lineup one message at a time (CONSUMER_CONCURRENCY=1, one partition at a time);
 *   3. a long run (≥ 100,000 nominations by default) of the whole Cannes lineup nominated
 *      many times over, cached after its first pass, with RSS at its start and end.
 * Two ceilings: what the rate limits allow for the calls actually made (for each source,
 * calls / rate = the seconds it needs at least; ceiling = nominations / max of those), and
 * the same for the calls the world needs at least (src/twin/world-minimum.ts), with the
 * calls made / needed per source. The long run prints RSS at start and end and the
 * min/median/max of its samples.
 * Each run has its own topics, group and database, removed at the end.
 */
import { parseArgs } from 'node:util';
import { loadStackConfig } from '../src/stack/config.js';
import { createLocalStack } from '../src/stack/stack.js';
import { startTwin } from '../src/twin/server.js';
import type { TwinOptionsInput } from '../src/twin/options.js';
import { generateWorld } from '../src/twin/world-generator.js';
import { nominatedFilms, worldMinimum, type WorldMinimum } from '../src/twin/world-minimum.js';
import { renominations, renominationsWithAnswers } from './resolve-lineup.js';
import { printLongRun, printThroughput, type ThroughputRow } from './resolve-report.js';
import type { Db } from 'mongodb';
import type { Nomination } from '../src/domain/nomination.js';
import { collectionNames } from '../src/persistence/collections.js';
import type { Answer } from '../src/twin/world.js';
import { measureRun, type RunResult, type SourceCalls, type StackAddresses } from './resolve-run.js';
import { tallyByCase } from './resolve-cases.js';

const { values: args } = parseArgs({
  options: {
    films: { type: 'string', default: '1000' },
    nominations: { type: 'string' },
    'long-run': { type: 'string', default: '100000' },
    'skip-long': { type: 'boolean', default: false },
    'skip-baseline': { type: 'boolean', default: false },
    'long-only': { type: 'boolean', default: false },
    concurrency: { type: 'string' },
    partitions: { type: 'string', default: '6' },
    seed: { type: 'string', default: '2025' },
    'no-id-share': { type: 'string', default: '0.1' },
    'profile-mongo': { type: 'boolean', default: false },
    timeline: { type: 'boolean', default: false },
  },
});

/** Requests per second the twin allows; the service is configured with the same. */
const rates = { tmdb: 40, omdb: 10, zyte: 5 };

const realistic: TwinOptionsInput = {
  tmdb: { latencyMs: 30, jitterMs: 50, rateLimit: { requests: rates.tmdb, windowMs: 1000 } },
  omdb: { latencyMs: 120, jitterMs: 60, rateLimit: { requests: rates.omdb, windowMs: 1000 } },
  zyte: {
    latencyMs: 1000,
    jitterMs: 1000,
    rateLimit: { requests: rates.zyte, windowMs: 1000 },
    errorRate: 0.03,
  },
};

const phases: { name: string; seconds: number }[] = [];
async function phase<T>(name: string, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  try {
    return await run();
  } finally {
    const seconds = (Date.now() - started) / 1000;
    phases.push({ name, seconds });
    console.log(`  ${name}: ${seconds.toFixed(1)} s`);
  }
}

async function stackUp(): Promise<StackAddresses> {
  const stack = createLocalStack(loadStackConfig(process.env), (line) => console.log(`  stack: ${line}`));
  const services = await stack.up();
  const address = (name: string): string => services.find((s) => s.name === name)?.address ?? '';
  return { kafkaBrokers: address('kafka'), mongoUri: address('ferretdb'), registryUrl: address('registry') };
}

/** Seconds the rate limits need at least for these calls, per source, and the nominations/s they allow. */
function ceilingOf(calls: SourceCalls, nominations: number): { seconds: SourceCalls; ceiling: number } {
  const seconds = {
    tmdb: calls.tmdb / rates.tmdb,
    omdb: calls.omdb / rates.omdb,
    zyte: calls.zyte / rates.zyte,
  };
  const floor = Math.max(seconds.tmdb, seconds.omdb, seconds.zyte);
  return { seconds, ceiling: floor > 0 ? nominations / floor : Infinity };
}

function row(result: RunResult, minimum: WorldMinimum): ThroughputRow {
  const seconds = result.durationMs / 1000;
  const made = ceilingOf(result.calls, result.nominations);
  const needed = ceilingOf(minimum.calls, result.nominations);
  const perSecond = result.nominations / seconds;
  return {
    label: result.label,
    nominations: result.nominations,
    recorded: result.recorded,
    seconds,
    perSecond,
    calls: result.calls,
    needs: made.seconds,
    ceiling: made.ceiling,
    ratio: perSecond / made.ceiling,
    needed: minimum.calls,
    neededSeconds: needed.seconds,
    minimumCeiling: needed.ceiling,
    minimumRatio: perSecond / needed.ceiling,
    failedRequests: result.failedRequests,
    firstRecordedSeconds: result.firstRecordedMs / 1000,
    cpuShare: result.cpuMs / result.durationMs,
  };
}

/**
 * Precision and recall of what the service stored, per nomination, against the answer key:
 * a nomination is right when its movie carries the film's IMDb ID (or, without one, its
 * TMDb ID); recall counts the nominations some source could give (TMDb or OMDb has the
 * film, or IMDb's page with the ID in the nomination).
 */
function scoreStored(
  answered: { nomination: Nomination; answer: Answer }[],
  label: string,
): (db: Db) => Promise<void> {
  return async (db) => {
    const movies = new Map<string, { imdbId?: string; tmdbId?: number; importType?: string }>();
    for await (const m of db
      .collection(collectionNames.movies)
      .find({}, { projection: { key: 1, aliasKeys: 1, imdbId: 1, tmdbId: 1, importType: 1 } })) {
      const entry = {
        imdbId: m.imdbId as string | undefined,
        tmdbId: m.tmdbId as number | undefined,
        importType: m.importType as string | undefined,
      };
      movies.set(String(m.key), entry);
      for (const alias of (m.aliasKeys as string[] | undefined) ?? []) movies.set(alias, entry);
    }
    const keyOf = new Map<string, string>();
    for await (const n of db
      .collection(collectionNames.nominations)
      .find({}, { projection: { nominationId: 1, movieKey: 1 } }))
      keyOf.set(String(n.nominationId), String(n.movieKey));
    let resolved = 0;
    let right = 0;
    let knowable = 0;
    let rightOfKnowable = 0;
    const wrong: string[] = [];
    for (const { nomination, answer } of answered) {
      const movie = movies.get(keyOf.get(nomination.nominationId) ?? '');
      const canKnow =
        answer.tmdbPresent || answer.omdb || (answer.imdb === 'present' && nomination.film.imdbId !== null);
      if (canKnow) knowable += 1;
      if (movie === undefined || movie.importType === 'stub') continue;
      resolved += 1;
      const ok = movie.imdbId !== undefined ? movie.imdbId === answer.imdbId : movie.tmdbId === answer.tmdbId;
      if (ok) right += 1;
      else if (wrong.length < 5)
        wrong.push(
          `${answer.imdbId}${nomination.film.imdbId === null ? ' (no id)' : ''} → ${movie.imdbId ?? `tmdb ${movie.tmdbId ?? '?'}`}`,
        );
      if (ok && canKnow) rightOfKnowable += 1;
    }
    const pct = (a: number, b: number) => (b === 0 ? '—' : `${((a / b) * 100).toFixed(2)} %`);
    console.log(
      `  [${label}] stored: ${resolved} resolved (${right} right), precision ${pct(right, resolved)}, recall ${pct(rightOfKnowable, knowable)} of the ${knowable} nominations some source could give${wrong.length > 0 ? `; wrong: ${wrong.join(', ')}` : ''}`,
    );
  };
}

function printMinimum(minimum: WorldMinimum, nominations: number): void {
  const per = (n: number) => (n / minimum.films).toFixed(2);
  console.log(
    `  world minimum for ${nominations} nominations of ${minimum.films} films: tmdb ${minimum.calls.tmdb} (${per(minimum.calls.tmdb)}/film), omdb ${minimum.calls.omdb} (${per(minimum.calls.omdb)}), zyte ${minimum.calls.zyte} (${per(minimum.calls.zyte)})`,
  );
  console.log(
    `  films by case: ${Object.entries(minimum.cases)
      .map(([c, n]) => `${c} ${n}`)
      .join(', ')}`,
  );
}

async function main(): Promise<void> {
  const films = Number(args.films);
  const nominations = Number(args.nominations ?? args.films);
  const seed = Number(args.seed);
  const baseEnv: Record<string, string> = {
    TOPIC_PARTITIONS: args.partitions,
    TMDB_RATE_PER_SECOND: String(rates.tmdb),
    OMDB_RATE_PER_SECOND: String(rates.omdb),
    ZYTE_RATE_PER_SECOND: String(rates.zyte),
    ...(args.concurrency === undefined ? {} : { CONSUMER_CONCURRENCY: args.concurrency }),
  };
  const stack = await phase('stack', stackUp);
  const world = await phase('world', () => Promise.resolve(generateWorld({ seed, size: films })));
  const answered = renominationsWithAnswers(world, {
    total: nominations,
    seed,
    withoutImdbIdShare: Number(args['no-id-share']),
  });
  const lineup = answered.map((n) => n.nomination);
  const nominated = nominatedFilms(answered);
  const minimum = worldMinimum(world, nominated);
  printMinimum(minimum, lineup.length);
  const rows: ThroughputRow[] = [];
  if (!args['long-only']) await shortRuns();

  async function shortRuns(): Promise<void> {
    const twin = await startTwin({ world, options: { seed, ...realistic } });
    try {
      const progress = (line: string) => console.log(line);
      const configured = await phase(
        `run: ${lineup.length} nominations, concurrency ${args.concurrency ?? 'default'}`,
        () =>
          measureRun({
            label: 'service',
            stack,
            twin,
            batches: [lineup],
            env: baseEnv,
            progress,
            profileMongo: args['profile-mongo'],
            timeline: args.timeline,
            inspect: async (db) => {
              await scoreStored(answered, 'service')(db);
              await tallyByCase(world, minimum, nominated)(db);
            },
          }),
      );
      rows.push(row(configured, minimum));
      printThroughput(rows);
      if (!args['skip-baseline']) {
        twin.twin.reset();
        const baseline = await phase(`baseline: ${lineup.length} nominations one at a time`, () =>
          measureRun({
            label: 'one at a time',
            stack,
            twin,
            batches: [lineup],
            env: { ...baseEnv, CONSUMER_CONCURRENCY: '1' },
            progress,
            inspect: scoreStored(answered, 'one at a time'),
          }),
        );
        rows.push(row(baseline, minimum));
      }
    } finally {
      await twin.twin.close();
    }
    printThroughput(rows);
    const first = rows[0];
    const second = rows[1];
    if (first !== undefined && second !== undefined)
      console.log(`speed-up over one at a time: ${(first.perSecond / second.perSecond).toFixed(1)}×`);
  }

  if (!args['skip-long']) {
    const total = Number(args['long-run']);
    const fullWorld = generateWorld({ seed });
    // Latency and limits off: after the first pass every film is cached, so the long run
    // measures the pipeline's own speed and memory, not upstream waits.
    const fast = await startTwin({ world: fullWorld, options: { seed } });
    try {
      const warm = renominations(fullWorld, { total: fullWorld.answers.length, seed, withoutImdbIdShare: 0 });
      const rest = renominations(fullWorld, { total, seed, withoutImdbIdShare: 0, startRound: 1 });
      const result = await phase(`long run: ${warm.length} warm-up + ${rest.length} nominations`, () =>
        measureRun({
          label: 'long run',
          stack,
          twin: fast,
          batches: [warm, rest],
          warmup: warm.length,
          env: {
            ...baseEnv,
            TMDB_RATE_PER_SECOND: '10000',
            OMDB_RATE_PER_SECOND: '10000',
            ZYTE_RATE_PER_SECOND: '10000',
          },
          progress: (line) => console.log(line),
          timeoutMs: 4 * 3_600_000,
        }),
      );
      printLongRun(result, warm.length);
    } finally {
      await fast.twin.close();
    }
  }

  console.log('\nphases:');
  for (const p of phases) console.log(`  ${p.name.padEnd(60)} ${p.seconds.toFixed(1).padStart(8)} s`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
