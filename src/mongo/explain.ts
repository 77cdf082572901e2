import type { Document } from 'mongodb';

/**
 * The names of the indexes a query plan reads, from the `explain` of a find or count on
 * MongoDB (`IXSCAN` stages with `indexName`) or on a server backed by PostgreSQL (its plan
 * tree, `Index Name` of each index scan node; the local stack's). Such a server also reads its `_id_` index for a full
 * collection scan (a bitmap scan on the shard key), so a caller asks whether the index it
 * expects is in the list rather than whether the list is empty.
 */
export function indexesUsed(explained: Document): string[] {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.stage === 'IXSCAN' && typeof record.indexName === 'string') names.add(record.indexName);
    if (typeof record['Index Name'] === 'string') names.add(record['Index Name']);
    for (const [key, value] of Object.entries(record)) {
      // Rejected plans are not what ran.
      if (key !== 'rejectedPlans') visit(value);
    }
  };
  visit(explained.queryPlanner ?? explained);
  return [...names];
}

/** A one-line summary of the plan for tables: the top node type or stage and the indexes read. */
export function planSummary(explained: Document): string {
  const planner = (explained.queryPlanner ?? {}) as Record<string, unknown>;
  const plan = planner.Plan as Record<string, unknown> | undefined;
  const winning = planner.winningPlan as Record<string, unknown> | undefined;
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  const top = text(plan?.['Node Type']) ?? text(winning?.stage) ?? 'unknown';
  const inner = text((plan?.Plans as Record<string, unknown>[] | undefined)?.[0]?.['Node Type']);
  const indexes = indexesUsed(explained);
  return `${inner ?? top}${indexes.length > 0 ? ` (${indexes.join(', ')})` : ''}`;
}
