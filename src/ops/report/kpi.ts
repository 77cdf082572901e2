import type { Db } from 'mongodb';
import type { ImportType, SourceName } from '../../domain/movie.js';
import { collectionNames } from '../../persistence/collections.js';

/**
 * The four indicators of the problem statement, as plain data (render.ts prints them):
 * lookup success by source, fallback effectiveness, cost, and festival import health.
 *
 * Portability: the queries are find() with a small projection, counted in code. FerretDB
 * 1.24 runs $group, but `$sum: '$metadata.cost_usd'` came back 0 there for fractional
 * costs, and $lookup/$facet/$expr are not safe either; an ops report can afford to read
 * a projection of the window. The window applies to attempts (`inserted_at`) and
 * nominations (`createdAt`); movies are the ones those nominations link to.
 */

/** Options of computeKpis. */
export interface KpiOptions {
  /** Only attempts and nominations since this instant (default: everything). */
  since?: Date;
  /** Only this festival key, e.g. cannes_2025 (default: all). */
  festival?: string;
}

/** (a) one source's lookups. */
export interface SourceSuccess {
  source: SourceName;
  attempts: number;
  successes: number;
  /** Attempts of a tier step that found the film (metadata.movie_found). */
  found: number;
  successRate: number;
  foundRate: number;
}

/** (b) one tier level of the chain. */
export interface TierEffectiveness {
  level: number;
  source: SourceName;
  attempts: number;
  found: number;
  /** Why the chain fell through past this tier, by reason. */
  fallbackReasons: Record<string, number>;
}

/** (b) movies by the sources that contributed and by import type. */
export interface HierarchyCount {
  hierarchy: string;
  importType: ImportType;
  movies: number;
}

/** (c) cost of one source. */
export interface SourceCost {
  source: SourceName;
  attempts: number;
  costUsd: number;
}

/** (c) and (d) one festival import. */
export interface FestivalHealth {
  festival: string;
  nominations: number;
  movies: number;
  full: number;
  minimal: number;
  stub: number;
  /** Upstream attempts recorded for this festival's nominations. */
  attempts: number;
  costUsd: number;
  /** stub / movies: films no source could identify here. */
  stubShare: number;
  costPerNominationUsd: number;
}

/** Everything the report shows. */
export interface KpiReport {
  generatedAt: string;
  since: string | null;
  festival: string | null;
  lookups: { total: number; bySource: SourceSuccess[] };
  fallback: { byTier: TierEffectiveness[]; byHierarchy: HierarchyCount[] };
  cost: { totalUsd: number; bySource: SourceCost[] };
  festivals: FestivalHealth[];
}

interface AttemptRow {
  source: SourceName;
  success: boolean;
  metadata?: {
    movie_found?: boolean;
    fallback_level?: number;
    cost_usd?: number;
    festival?: string | null;
    reason_for_fallback?: string | null;
  };
}

interface NominationRow {
  festival: string;
  movieKey: string;
}

interface MovieRow {
  key: string;
  importType: ImportType;
  dataSourceHierarchy?: SourceName[];
}

const sourceOrder: SourceName[] = ['tmdb', 'omdb', 'imdb'];

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

/** Rounds sums of float costs so that 0.1 + 0.2 prints and compares as 0.3. */
function money(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

function bySourceOrder(a: { source: SourceName }, b: { source: SourceName }): number {
  return sourceOrder.indexOf(a.source) - sourceOrder.indexOf(b.source);
}

function counter<K>(): { add(key: K, by?: number): void; entries(): [K, number][]; get(key: K): number } {
  const map = new Map<K, number>();
  return {
    add: (key, by = 1) => map.set(key, (map.get(key) ?? 0) + by),
    entries: () => [...map.entries()],
    get: (key) => map.get(key) ?? 0,
  };
}

async function readAttempts(db: Db, options: KpiOptions): Promise<AttemptRow[]> {
  const query: Record<string, unknown> = {};
  if (options.since !== undefined) query.inserted_at = { $gte: options.since };
  if (options.festival !== undefined) query['metadata.festival'] = options.festival;
  const projection = {
    _id: 0,
    source: 1,
    success: 1,
    'metadata.movie_found': 1,
    'metadata.fallback_level': 1,
    'metadata.cost_usd': 1,
    'metadata.festival': 1,
    'metadata.reason_for_fallback': 1,
  };
  return db.collection<AttemptRow>(collectionNames.lookupMetrics).find(query, { projection }).toArray();
}

async function readNominations(db: Db, options: KpiOptions): Promise<NominationRow[]> {
  const query: Record<string, unknown> = {};
  if (options.since !== undefined) query.createdAt = { $gte: options.since };
  if (options.festival !== undefined) query.festival = options.festival;
  return db
    .collection<NominationRow>(collectionNames.nominations)
    .find(query, { projection: { _id: 0, festival: 1, movieKey: 1 } })
    .toArray();
}

async function readMovies(db: Db, keys: ReadonlySet<string>): Promise<Map<string, MovieRow>> {
  const movies = new Map<string, MovieRow>();
  if (keys.size === 0) return movies;
  // One scan with a small projection rather than many $in queries: FerretDB 1.24 scans the
  // collection for anything but _id equality either way.
  const cursor = db
    .collection<MovieRow>(collectionNames.movies)
    .find({}, { projection: { _id: 0, key: 1, importType: 1, dataSourceHierarchy: 1 } });
  for await (const movie of cursor) if (keys.has(movie.key)) movies.set(movie.key, movie);
  return movies;
}

function lookupsBySource(attempts: readonly AttemptRow[]): SourceSuccess[] {
  const rows = new Map<SourceName, SourceSuccess>();
  for (const a of attempts) {
    const row = rows.get(a.source) ?? {
      source: a.source,
      attempts: 0,
      successes: 0,
      found: 0,
      successRate: 0,
      foundRate: 0,
    };
    row.attempts += 1;
    if (a.success) row.successes += 1;
    if (a.metadata?.movie_found === true) row.found += 1;
    rows.set(a.source, row);
  }
  return [...rows.values()]
    .map((r) => ({
      ...r,
      successRate: ratio(r.successes, r.attempts),
      foundRate: ratio(r.found, r.attempts),
    }))
    .sort(bySourceOrder);
}

function tiers(attempts: readonly AttemptRow[]): TierEffectiveness[] {
  const rows = new Map<string, TierEffectiveness>();
  for (const a of attempts) {
    const level = a.metadata?.fallback_level ?? 0;
    const id = `${level}:${a.source}`;
    const row = rows.get(id) ?? { level, source: a.source, attempts: 0, found: 0, fallbackReasons: {} };
    row.attempts += 1;
    if (a.metadata?.movie_found === true) row.found += 1;
    const reason = a.metadata?.reason_for_fallback;
    if (reason !== null && reason !== undefined)
      row.fallbackReasons[reason] = (row.fallbackReasons[reason] ?? 0) + 1;
    rows.set(id, row);
  }
  return [...rows.values()].sort((a, b) => a.level - b.level || bySourceOrder(a, b));
}

/** Computes the report from the service database; reads only, never writes. */
export async function computeKpis(db: Db, options: KpiOptions = {}, now = new Date()): Promise<KpiReport> {
  const [attempts, nominations] = await Promise.all([
    readAttempts(db, options),
    readNominations(db, options),
  ]);
  const movies = await readMovies(db, new Set(nominations.map((n) => n.movieKey)));

  const hierarchy = counter<string>();
  for (const m of movies.values())
    hierarchy.add(`${(m.dataSourceHierarchy ?? []).join('>') || '(none)'}|${m.importType}`);
  const byHierarchy = hierarchy
    .entries()
    .map(([id, count]) => {
      const [path = '', importType = 'stub'] = id.split('|');
      return { hierarchy: path, importType: importType as ImportType, movies: count };
    })
    .sort((a, b) => b.movies - a.movies || a.hierarchy.localeCompare(b.hierarchy));

  const costs = new Map<SourceName, SourceCost>();
  const festivalAttempts = counter<string>();
  const festivalCost = counter<string>();
  for (const a of attempts) {
    const cost = a.metadata?.cost_usd ?? 0;
    const row = costs.get(a.source) ?? { source: a.source, attempts: 0, costUsd: 0 };
    row.attempts += 1;
    row.costUsd += cost;
    costs.set(a.source, row);
    const festival = a.metadata?.festival ?? '(none)';
    festivalAttempts.add(festival);
    festivalCost.add(festival, cost);
  }

  const festivalNominations = counter<string>();
  const festivalMovies = new Map<string, Set<string>>();
  for (const n of nominations) {
    festivalNominations.add(n.festival);
    const keys = festivalMovies.get(n.festival) ?? new Set<string>();
    keys.add(n.movieKey);
    festivalMovies.set(n.festival, keys);
  }
  const festivalKeys = new Set([...festivalMovies.keys(), ...festivalAttempts.entries().map(([f]) => f)]);
  const festivals = [...festivalKeys].sort().map((festival): FestivalHealth => {
    const keys = [...(festivalMovies.get(festival) ?? [])];
    const types = keys.map((k) => movies.get(k)?.importType);
    const count = (t: ImportType) => types.filter((x) => x === t).length;
    const costUsd = money(festivalCost.get(festival));
    const nominationCount = festivalNominations.get(festival);
    return {
      festival,
      nominations: nominationCount,
      movies: keys.length,
      full: count('full'),
      minimal: count('minimal'),
      stub: count('stub'),
      attempts: festivalAttempts.get(festival),
      costUsd,
      stubShare: ratio(count('stub'), keys.length),
      costPerNominationUsd: money(ratio(costUsd, nominationCount)),
    };
  });

  const bySource = [...costs.values()].map((c) => ({ ...c, costUsd: money(c.costUsd) })).sort(bySourceOrder);
  return {
    generatedAt: now.toISOString(),
    since: options.since?.toISOString() ?? null,
    festival: options.festival ?? null,
    lookups: { total: attempts.length, bySource: lookupsBySource(attempts) },
    fallback: { byTier: tiers(attempts), byHierarchy },
    cost: { totalUsd: money(bySource.reduce((s, c) => s + c.costUsd, 0)), bySource },
    festivals,
  };
}
