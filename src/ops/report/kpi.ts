import type { Db } from 'mongodb';
import type { ImportType, SourceName } from '../../domain/movie.js';
import { collectionNames } from '../../persistence/collections.js';

/**
 * The four indicators of the problem statement, as plain data (render.ts prints them):
 * lookup success by source, fallback effectiveness, cost, and festival import health.
 *
 * The counting is done by the server: aggregation pipelines group the window's attempts
 * (by source; by tier and fallback reason; by festival) and its nominations joined to
 * their movies ($lookup on the movie key), so the report reads group rows, never the
 * documents. The window applies to attempts (`inserted_at`) and nominations
 * (`createdAt`); movies are the ones those nominations link to.
 */

/** Options of computeKpis. */
export interface KpiOptions {
  /** Only attempts and nominations since this instant (default: everything). */
  since?: Date;
  /** Only this festival key, e.g. cannes_2025 (default: all). */
  festival?: string;
}

/** (a) one source's lookups. */
interface SourceSuccess {
  source: SourceName;
  attempts: number;
  successes: number;
  /** Attempts of a tier step that found the film (metadata.movie_found). */
  found: number;
  successRate: number;
  foundRate: number;
}

/** (b) one tier level of the chain. */
interface TierEffectiveness {
  level: number;
  source: SourceName;
  attempts: number;
  found: number;
  /** Why the chain fell through past this tier, by reason. */
  fallbackReasons: Record<string, number>;
}

/** (b) movies by the sources that contributed and by import type. */
interface HierarchyCount {
  hierarchy: string;
  importType: ImportType;
  movies: number;
}

/** (c) cost of one source. */
interface SourceCost {
  source: SourceName;
  attempts: number;
  costUsd: number;
}

/** (c) and (d) one festival import. */
interface FestivalHealth {
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

/** One group of attempts: counts and cost. */
interface AttemptGroup<K> {
  _id: K;
  attempts: number;
  successes: number;
  found: number;
  costUsd: number;
}

/** One (festival, movie) of the window's nominations, joined to the movie. */
interface FestivalMovieRow {
  festival: string;
  movieKey: string;
  nominations: number;
  importType?: ImportType;
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

/** Groups the window's attempts by `by` (an aggregation `_id` expression). */
function groupAttempts<K>(db: Db, options: KpiOptions, by: unknown): Promise<AttemptGroup<K>[]> {
  const match: Record<string, unknown> = {};
  if (options.since !== undefined) match.inserted_at = { $gte: options.since };
  if (options.festival !== undefined) match['metadata.festival'] = options.festival;
  return db
    .collection(collectionNames.lookupMetrics)
    .aggregate<AttemptGroup<K>>([
      { $match: match },
      {
        $group: {
          _id: by,
          attempts: { $sum: 1 },
          successes: { $sum: { $cond: [{ $eq: ['$success', true] }, 1, 0] } },
          found: { $sum: { $cond: [{ $eq: ['$metadata.movie_found', true] }, 1, 0] } },
          costUsd: { $sum: { $ifNull: ['$metadata.cost_usd', 0] } },
        },
      },
    ])
    .toArray();
}

/** The window's nominations grouped by festival and movie, each joined to its movie. */
function festivalMovies(db: Db, options: KpiOptions): Promise<FestivalMovieRow[]> {
  const match: Record<string, unknown> = {};
  if (options.since !== undefined) match.createdAt = { $gte: options.since };
  if (options.festival !== undefined) match.festival = options.festival;
  return db
    .collection(collectionNames.nominations)
    .aggregate<FestivalMovieRow>([
      { $match: match },
      { $group: { _id: { festival: '$festival', movieKey: '$movieKey' }, nominations: { $sum: 1 } } },
      {
        $lookup: {
          from: collectionNames.movies,
          localField: '_id.movieKey',
          foreignField: 'key',
          as: 'movie',
        },
      },
      {
        $project: {
          _id: 0,
          festival: '$_id.festival',
          movieKey: '$_id.movieKey',
          nominations: 1,
          importType: { $arrayElemAt: ['$movie.importType', 0] },
          dataSourceHierarchy: { $arrayElemAt: ['$movie.dataSourceHierarchy', 0] },
        },
      },
    ])
    .toArray();
}

function lookupsBySource(groups: readonly AttemptGroup<SourceName>[]): SourceSuccess[] {
  return groups
    .map((g) => ({
      source: g._id,
      attempts: g.attempts,
      successes: g.successes,
      found: g.found,
      successRate: ratio(g.successes, g.attempts),
      foundRate: ratio(g.found, g.attempts),
    }))
    .sort(bySourceOrder);
}

type TierKey = { level: number; source: SourceName; reason: string | null };

function tiers(groups: readonly AttemptGroup<TierKey>[]): TierEffectiveness[] {
  const rows = new Map<string, TierEffectiveness>();
  for (const g of groups) {
    const { level, source, reason } = g._id;
    const id = `${level}:${source}`;
    const row = rows.get(id) ?? { level, source, attempts: 0, found: 0, fallbackReasons: {} };
    row.attempts += g.attempts;
    row.found += g.found;
    if (reason !== null && reason !== undefined)
      row.fallbackReasons[reason] = (row.fallbackReasons[reason] ?? 0) + g.attempts;
    rows.set(id, row);
  }
  return [...rows.values()].sort((a, b) => a.level - b.level || bySourceOrder(a, b));
}

/** Computes the report from the service database; reads only, never writes. */
export async function computeKpis(db: Db, options: KpiOptions = {}, now = new Date()): Promise<KpiReport> {
  const [bySourceGroups, tierGroups, festivalGroups, rows] = await Promise.all([
    groupAttempts<SourceName>(db, options, '$source'),
    groupAttempts<TierKey>(db, options, {
      level: { $ifNull: ['$metadata.fallback_level', 0] },
      source: '$source',
      reason: { $ifNull: ['$metadata.reason_for_fallback', null] },
    }),
    groupAttempts<string>(db, options, { $ifNull: ['$metadata.festival', '(none)'] }),
    festivalMovies(db, options),
  ]);

  // A movie nominated at two festivals counts once in the hierarchy table.
  const movies = new Map<string, FestivalMovieRow>();
  for (const row of rows) if (row.importType !== undefined) movies.set(row.movieKey, row);
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

  const attemptsOf = new Map(festivalGroups.map((g) => [g._id, g]));
  const rowsOf = new Map<string, FestivalMovieRow[]>();
  for (const row of rows) rowsOf.set(row.festival, [...(rowsOf.get(row.festival) ?? []), row]);
  const festivalKeys = new Set([...rowsOf.keys(), ...attemptsOf.keys()]);
  const festivals = [...festivalKeys].sort().map((festival): FestivalHealth => {
    const films = rowsOf.get(festival) ?? [];
    const count = (t: ImportType) => films.filter((f) => f.importType === t).length;
    const costUsd = money(attemptsOf.get(festival)?.costUsd ?? 0);
    const nominationCount = films.reduce((sum, f) => sum + f.nominations, 0);
    return {
      festival,
      nominations: nominationCount,
      movies: films.length,
      full: count('full'),
      minimal: count('minimal'),
      stub: count('stub'),
      attempts: attemptsOf.get(festival)?.attempts ?? 0,
      costUsd,
      stubShare: ratio(count('stub'), films.length),
      costPerNominationUsd: money(ratio(costUsd, nominationCount)),
    };
  });

  const bySource = bySourceGroups
    .map((g) => ({ source: g._id, attempts: g.attempts, costUsd: money(g.costUsd) }))
    .sort(bySourceOrder);
  return {
    generatedAt: now.toISOString(),
    since: options.since?.toISOString() ?? null,
    festival: options.festival ?? null,
    lookups: {
      total: bySourceGroups.reduce((sum, g) => sum + g.attempts, 0),
      bySource: lookupsBySource(bySourceGroups),
    },
    fallback: { byTier: tiers(tierGroups), byHierarchy },
    cost: { totalUsd: money(bySource.reduce((s, c) => s + c.costUsd, 0)), bySource },
    festivals,
  };
}
