import type { Db } from 'mongodb';
import type { SourceName } from '../domain/movie.js';
import { computeKpis, type KpiReport } from '../ops/report/kpi.js';
import { collectionNames } from '../persistence/collections.js';
import type { BudgetRemaining, SpendLedger } from '../persistence/spend-ledger.js';

/**
 * What the KPI page draws: the report's four indicators from the same query as
 * `festival-resolver report` (computeKpis), the cost of each UTC day in the window under
 * the same filters, and today's and this month's spend against the budgets (the ledger).
 */

export interface KpiPageData {
  report: KpiReport;
  costByDay: { day: string; bySource: Partial<Record<SourceName, number>> }[];
  budgets: BudgetRemaining[];
}

const sources: SourceName[] = ['tmdb', 'omdb', 'imdb'];

async function costByDay(
  db: Db,
  options: { since?: Date; festival?: string },
): Promise<KpiPageData['costByDay']> {
  const query: Record<string, unknown> = {};
  if (options.since !== undefined) query.inserted_at = { $gte: options.since };
  if (options.festival !== undefined) query['metadata.festival'] = options.festival;
  const rows = await db
    .collection<{ source: SourceName; inserted_at: Date; metadata?: { cost_usd?: number } }>(
      collectionNames.lookupMetrics,
    )
    .find(query, { projection: { _id: 0, source: 1, inserted_at: 1, 'metadata.cost_usd': 1 } })
    .toArray();
  const days = new Map<string, Partial<Record<SourceName, number>>>();
  for (const r of rows) {
    const day = r.inserted_at.toISOString().slice(0, 10);
    const entry = days.get(day) ?? {};
    entry[r.source] = Math.round(((entry[r.source] ?? 0) + (r.metadata?.cost_usd ?? 0)) * 1e9) / 1e9;
    days.set(day, entry);
  }
  return [...days.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, bySource]) => ({ day, bySource }));
}

export async function loadKpis(
  db: Db,
  ledger: SpendLedger,
  options: { since?: Date; festival?: string },
  now = new Date(),
): Promise<KpiPageData> {
  const [report, days, budgets] = await Promise.all([
    computeKpis(db, options, now),
    costByDay(db, options),
    Promise.all(sources.map((s) => ledger.remaining(s, now))),
  ]);
  return { report, costByDay: days, budgets };
}

/** Festival keys seen in the nominations, for the filter. */
export async function festivalKeys(db: Db): Promise<string[]> {
  const keys = (await db.collection(collectionNames.nominations).distinct('festival')) as unknown[];
  return keys.filter((k): k is string => typeof k === 'string').sort();
}
