/**
 * npm run bench:match [-- --seed 7 --size 1000 --explain]
 *
 * Match quality of the evidence-based matcher with the three real adapters (TMDb → OMDb →
 * IMDb via Zyte) against the local twin serving a generated world with an answer key, and,
 * in the same run, of the OLD TMDb matcher (bench/baseline-matcher.ts) on the same films.
 * Prints precision, recall, review share, decoys accepted and calls per film per source.
 * `--noise 0.3` makes 30 % of the nominations messier (bench/match-noise.ts);
 * `--no-id-share 1` sends every nomination without its IMDb ID (title matching only).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createSources } from '../src/sources/create-sources.js';
import type { LookupQuery } from '../src/sources/source.js';
import { TWIN_OMDB_KEY, TWIN_TMDB_TOKEN, TWIN_ZYTE_KEY } from '../src/twin/options.js';
import { startTwin } from '../src/twin/server.js';
import { generateWorld } from '../src/twin/world-generator.js';
import { worldMinimum } from '../src/twin/world-minimum.js';
import type { Answer } from '../src/twin/world.js';
import { BaselineMatcher } from './baseline-matcher.js';
import { runChain } from './match-chain.js';
import { addNoise, noiseKinds } from './match-noise.js';
import { filmIndex, tally, type FilmVerdict, type Tally } from './match-tally.js';

const { values: args } = parseArgs({
  options: {
    seed: { type: 'string', default: '20250517' },
    size: { type: 'string', default: '1000' },
    'no-id-share': { type: 'string', default: '0.15' },
    noise: { type: 'string', default: '0' },
    concurrency: { type: 'string', default: '8' },
    explain: { type: 'boolean', default: false },
  },
});
const seed = Number(args.seed);
const size = Number(args.size);
const noIdShare = Number(args['no-id-share']);
const concurrency = Number(args.concurrency);
const noise = Number(args.noise);

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** The nomination as a festival sends it; some arrive without an IMDb ID. */
function queryOf(answer: Answer): LookupQuery {
  const withoutId = (hash(`${seed}:${answer.imdbId}`) % 10_000) / 10_000 < noIdShare;
  const n = answer.nomination;
  const query: LookupQuery = {
    ...(withoutId ? {} : { imdbId: answer.imdbId }),
    title: n.title,
    ...(n.originalTitle ? { originalTitle: n.originalTitle } : {}),
    year: n.year,
    directors: n.directors,
  };
  const h = hash(`noise:${seed}:${answer.imdbId}`);
  if ((h % 10_000) / 10_000 >= noise) return query;
  return addNoise(query, noiseKinds[Math.floor(h / 10_000) % noiseKinds.length]!);
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

const world = generateWorld({ seed, size });
const index = filmIndex(world);
const { twin, urls } = await startTwin({ world, options: { seed } });
const config = loadConfig({
  TMDB_BASE_URL: urls.tmdb,
  TMDB_READ_TOKEN: TWIN_TMDB_TOKEN,
  OMDB_BASE_URL: urls.omdb,
  OMDB_API_KEY: TWIN_OMDB_KEY,
  ZYTE_BASE_URL: urls.zyte,
  ZYTE_API_KEY: TWIN_ZYTE_KEY,
});
const thresholds = { accept: config.chain.acceptThreshold, review: config.chain.reviewThreshold };
const sources = createSources(config, createLogger('silent'), {
  retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 },
});
const chain = [sources.tmdb, sources.omdb, sources.imdb].sort((a, b) => a.priority - b.priority);

const queries = world.answers.map((answer) => ({ answer, query: queryOf(answer) }));
const knowable = (a: Answer, q: LookupQuery) =>
  a.tmdbPresent || a.omdb || (a.imdb === 'present' && q.imdbId !== undefined);

// The new matcher through the three adapters.
const failures: string[] = [];
const startNew = Date.now();
const before = twin.counts();
const newVerdicts = await mapLimit(
  queries,
  concurrency,
  async ({
    answer,
    query,
  }): Promise<FilmVerdict & { via?: string; confidence?: number; query: LookupQuery; top?: string }> => {
    const r = await runChain(chain, query);
    failures.push(...r.failures);
    const ids = r.outcome?.movie.externalIds;
    const chosen =
      ids?.tmdbId !== undefined
        ? index.byTmdb.get(ids.tmdbId)
        : ids?.imdbId !== undefined
          ? index.byImdb.get(ids.imdbId)
          : undefined;
    return {
      answer,
      knowable: knowable(answer, query),
      kind: r.kind,
      ...(chosen ? { chosen } : {}),
      calls: r.callsBySource,
      ...(r.source ? { via: r.source } : {}),
      ...(r.outcome ? { confidence: r.outcome.confidence } : {}),
      query,
      top: (r.outcome?.candidates ?? [])
        .slice(0, 3)
        .map((c) => `${c.source}:${c.title}/${c.originalTitle ?? ''}/${c.year ?? '?'}=${c.confidence}`)
        .join('  '),
    };
  },
);
const newMs = Date.now() - startNew;
const after = twin.counts();
const newTally = tally(newVerdicts, (v) => v.kind === 'accepted' && (v as { via?: string }).via === 'tmdb');

// The old matcher, default (strategies 1–3) and with all six enabled.
async function runBaseline(enabledStrategies: 3 | 6): Promise<Tally> {
  const matcher = new BaselineMatcher({ baseUrl: urls.tmdb, readToken: TWIN_TMDB_TOKEN, enabledStrategies });
  const verdicts = await mapLimit(queries, concurrency, async ({ answer, query }): Promise<FilmVerdict> => {
    const r = await matcher.lookup({
      ...(query.imdbId ? { imdbId: query.imdbId } : {}),
      title: query.title,
      ...(query.year === undefined ? {} : { year: query.year }),
    });
    const chosen = r.tmdbId === null ? undefined : index.byTmdb.get(r.tmdbId);
    return {
      answer,
      knowable: knowable(answer, query),
      kind: r.tmdbId === null ? 'none' : 'accepted',
      ...(chosen ? { chosen } : {}),
      calls: { tmdb: r.calls, omdb: 0, imdb: 0 },
    };
  });
  return tally(verdicts, () => false);
}
const old3 = await runBaseline(3);
const old6 = await runBaseline(6);
await twin.close();

// ---- report -------------------------------------------------------------------------
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const num = (x: number) => x.toFixed(2);
const rows: [string, (t: Tally) => string][] = [
  ['films nominated', (t) => String(t.films)],
  ['films some source knows', (t) => String(t.knowable)],
  ['accepted', (t) => String(t.accepted)],
  ['  right film', (t) => String(t.acceptedRight)],
  ['  wrong film', (t) => String(t.acceptedWrong)],
  ['  decoys accepted', (t) => String(t.decoysAccepted)],
  ['sent to review', (t) => `${t.review} (right film proposed: ${t.reviewRight})`],
  ['nothing (stub)', (t) => String(t.none)],
  ['precision', (t) => pct(t.precision)],
  ['recall (of films some source knows)', (t) => pct(t.recall)],
  ['share sent to review', (t) => pct(t.reviewShare)],
  ['TMDb calls per film', (t) => num(t.callsPerFilm.tmdb)],
  ['TMDb calls per film TMDb knows', (t) => num(t.tmdbCallsPerTmdbFilm)],
  ['OMDb calls per film', (t) => num(t.callsPerFilm.omdb)],
  ['Zyte calls per film', (t) => num(t.callsPerFilm.imdb)],
  ['OMDb+Zyte calls after a certain TMDb match', (t) => String(t.laterCallsAfterTmdbCertain)],
];
const columns = ['new matcher, TMDb→OMDb→IMDb', 'old matcher (defaults: 1–3)', 'old matcher (all six)'];
const tallies = [newTally, old3, old6];
const width0 = Math.max(...rows.map(([l]) => l.length));
const widths = columns.map((c, i) => Math.max(c.length, ...rows.map(([, f]) => f(tallies[i]!).length)));
const line = (cells: string[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(width0) : c.padStart(widths[i - 1]!))).join(' | ');

const r = world.meta.ratios;
console.log(
  `\nbench:match — seed ${seed}, ${world.answers.length} nominated films, ${world.films.length} catalog films (${world.films.filter((f) => f.decoy).length} decoys), ${pct(noIdShare)} of nominations without IMDb ID, ${pct(noise)} with noise`,
);
console.log(
  `world ratios: TMDb find miss ${pct(r.tmdbFindMiss)}, absent of misses ${pct(r.tmdbAbsentOfMisses)}, OMDb rescue ${pct(r.omdbRescue)}, IMDb blocked ${pct(r.imdbBlocked)}, missing ${pct(r.imdbMissing)}`,
);
console.log(`thresholds: accept ${thresholds.accept}, review ${thresholds.review}\n`);
console.log(line(['', ...columns]));
console.log(line(['-'.repeat(width0), ...widths.map((w) => '-'.repeat(w))]));
for (const [label, f] of rows) console.log(line([label, ...tallies.map(f)]));
const ratio = (a: number, b: number) => (b === 0 ? '∞' : `${(a / b).toFixed(2)}×`);
console.log(
  `\nratios new / old defaults: recall ${ratio(newTally.recall, old3.recall)}, wrong accepts ${newTally.acceptedWrong} vs ${old3.acceptedWrong}, decoys ${newTally.decoysAccepted} vs ${old3.decoysAccepted}`,
);
console.log(
  `ratios new / old all six: recall ${ratio(newTally.recall, old6.recall)}, wrong accepts ${newTally.acceptedWrong} vs ${old6.acceptedWrong}, decoys ${newTally.decoysAccepted} vs ${old6.decoysAccepted}`,
);
const diff = (k: keyof typeof after) => after[k] - before[k];
console.log(
  `twin counts for the new matcher: tmdb.find ${diff('tmdb.find')}, tmdb.search ${diff('tmdb.search')}, tmdb.movie ${diff('tmdb.movie')}, omdb ${diff('omdb.byId') + diff('omdb.byTitle')}, zyte ${diff('zyte.extract')} — ${(newMs / 1000).toFixed(1)} s`,
);
// Calls made against the world's minimum, per case of the minimum (src/twin/world-minimum.ts).
const minimum = worldMinimum(
  world,
  queries.map(({ answer, query }) => ({
    imdbId: answer.imdbId,
    withImdbId: query.imdbId !== undefined,
    title: query.title,
    originalTitle: query.originalTitle ?? null,
    year: query.year ?? null,
  })),
);
const minimumOf = new Map(minimum.perFilm.map((m) => [m.imdbId, m]));
const byCase = new Map<
  string,
  {
    films: number;
    made: { tmdb: number; omdb: number; imdb: number };
    needed: { tmdb: number; omdb: number; imdb: number };
  }
>();
for (const v of newVerdicts) {
  const m = minimumOf.get(v.answer.imdbId);
  if (m === undefined) continue;
  const entry = byCase.get(m.case) ?? {
    films: 0,
    made: { tmdb: 0, omdb: 0, imdb: 0 },
    needed: { tmdb: 0, omdb: 0, imdb: 0 },
  };
  entry.films += 1;
  entry.made.tmdb += v.calls.tmdb;
  entry.made.omdb += v.calls.omdb;
  entry.made.imdb += v.calls.imdb;
  entry.needed.tmdb += m.tmdb;
  entry.needed.omdb += m.omdb;
  entry.needed.imdb += m.zyte;
  byCase.set(m.case, entry);
}
console.log('\ncalls made / the world minimum, by case (tmdb, omdb, zyte):');
for (const [c, e] of [...byCase].sort(
  (a, b) => b[1].made.tmdb - b[1].needed.tmdb - (a[1].made.tmdb - a[1].needed.tmdb),
)) {
  console.log(
    `  ${c.padEnd(34)} ${String(e.films).padStart(5)} films  tmdb ${e.made.tmdb}/${e.needed.tmdb}  omdb ${e.made.omdb}/${e.needed.omdb}  zyte ${e.made.imdb}/${e.needed.imdb}`,
  );
}
console.log(
  `  total: tmdb ${minimum.calls.tmdb} needed, omdb ${minimum.calls.omdb}, zyte ${minimum.calls.zyte}`,
);
if (failures.length > 0)
  console.log(`source failures (not misses): ${failures.length}, e.g. ${failures.slice(0, 3).join('; ')}`);

const goals: [string, boolean][] = [
  ['precision ≥ 99.5 %', newTally.precision >= 0.995],
  ['recall ≥ 97 % of films some source knows', newTally.recall >= 0.97],
  ['no decoy accepted', newTally.decoysAccepted === 0],
  ['≤ 3 TMDb calls per film TMDb knows', newTally.tmdbCallsPerTmdbFilm <= 3],
  ['no OMDb/Zyte call after a certain TMDb match', newTally.laterCallsAfterTmdbCertain === 0],
];
console.log('\ngoals:');
for (const [goal, met] of goals) console.log(`  ${met ? 'met    ' : 'MISSED '} ${goal}`);

if (args.explain) {
  const describe = (
    v: FilmVerdict & { via?: string; confidence?: number; query: LookupQuery; top?: string },
  ) => {
    const n = { ...v.query, originalTitle: v.query.originalTitle ?? null };
    const c = v.chosen;
    return (
      `  ${v.answer.imdbId} "${n.title}"${n.originalTitle ? ` / "${n.originalTitle}"` : ''} ${n.year} [${n.directors.join(', ')}] tmdb=${v.answer.tmdbPresent}/${v.answer.tmdbFindByImdbId} omdb=${v.answer.omdb} imdb=${v.answer.imdb}` +
      (c
        ? `\n    → ${v.via} ${v.confidence} ${c.imdbId} "${c.title}" / "${c.originalTitle}" ${c.releaseYear} [${c.directors.join(', ')}] decoy=${c.decoy}${c.decoyKind ? `:${c.decoyKind}` : ''}\n    candidates: ${v.top}`
        : '')
    );
  };
  console.log('\nwrong accepts:');
  for (const v of newVerdicts
    .filter((v) => v.kind === 'accepted' && v.chosen?.imdbId !== v.answer.imdbId)
    .slice(0, 20))
    console.log(describe(v));
  console.log('\nknowable but not accepted:');
  for (const v of newVerdicts
    .filter((v) => v.knowable && !(v.kind === 'accepted' && v.chosen?.imdbId === v.answer.imdbId))
    .slice(0, 30))
    console.log(`${v.kind}${describe(v)}`);
}
