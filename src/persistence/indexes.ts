import { setTimeout as sleep } from 'node:timers/promises';
import type { CreateIndexesOptions, Db, IndexSpecification } from 'mongodb';
import { collectionNames } from './collections.js';

/**
 * The indexes of every collection: natural keys as unique indexes ("unique where present"
 * as sparse unique), the fields the service queries on, and TTL indexes on `expiresAt`
 * (the server deletes expired documents; readers that must not see one a minute late
 * filter on it as well). The same on MongoDB and on the local stack's server.
 */

interface IndexPlan {
  collection: string;
  key: IndexSpecification;
  options?: CreateIndexesOptions;
  /** A TTL index: documents go once `expiresAt` has passed. */
  ttl?: boolean;
}

const plans: IndexPlan[] = [
  { collection: collectionNames.movies, key: { key: 1 }, options: { unique: true, name: 'key_unique' } },
  {
    collection: collectionNames.movies,
    key: { imdbId: 1 },
    options: { unique: true, sparse: true, name: 'imdbId_unique' },
  },
  {
    collection: collectionNames.movies,
    key: { tmdbId: 1 },
    options: { unique: true, sparse: true, name: 'tmdbId_unique' },
  },
  { collection: collectionNames.movies, key: { aliasKeys: 1 }, options: { name: 'aliasKeys' } },
  { collection: collectionNames.movies, key: { titleKeys: 1 }, options: { name: 'titleKeys' } },
  {
    collection: collectionNames.movies,
    key: { needsEnrichment: 1, nextEnrichmentAt: 1 },
    options: { name: 'enrichment' },
  },
  {
    collection: collectionNames.movies,
    key: { importType: 1, createdAt: 1 },
    options: { name: 'importType_createdAt' },
  },
  {
    collection: collectionNames.nominations,
    key: { nominationId: 1 },
    options: { unique: true, name: 'nominationId_unique' },
  },
  { collection: collectionNames.nominations, key: { movieKey: 1 }, options: { name: 'movieKey' } },
  { collection: collectionNames.nominations, key: { festival: 1 }, options: { name: 'festival' } },
  { collection: collectionNames.lookupMetrics, key: { inserted_at: 1 }, options: { name: 'inserted_at' } },
  {
    collection: collectionNames.lookupMetrics,
    key: { source: 1, inserted_at: 1 },
    options: { name: 'source_inserted_at' },
  },
  {
    collection: collectionNames.lookupMetrics,
    key: { 'metadata.festival': 1 },
    options: { name: 'metadata_festival' },
  },
  {
    collection: collectionNames.lookupCache,
    key: { source: 1, identifier: 1 },
    options: { unique: true, name: 'source_identifier_unique' },
  },
  {
    collection: collectionNames.lookupCache,
    key: { expiresAt: 1 },
    options: { name: 'expiresAt' },
    ttl: true,
  },
  {
    collection: collectionNames.reviewQueue,
    key: { openKey: 1 },
    options: { unique: true, sparse: true, name: 'openKey_unique' },
  },
  {
    collection: collectionNames.reviewQueue,
    key: { movieKey: 1, createdAt: -1 },
    options: { name: 'movieKey_createdAt' },
  },
  {
    collection: collectionNames.reviewQueue,
    key: { status: 1, createdAt: 1 },
    options: { name: 'status_createdAt' },
  },
  {
    collection: collectionNames.spendLedger,
    key: { expiresAt: 1 },
    options: { name: 'expiresAt' },
    ttl: true,
  },
  {
    collection: collectionNames.rateLimits,
    key: { expiresAt: 1 },
    options: { name: 'expiresAt' },
    ttl: true,
  },
  {
    collection: collectionNames.requestQuota,
    key: { expiresAt: 1 },
    options: { name: 'expiresAt' },
    ttl: true,
  },
];

/** What ensureIndexes did. */
export interface IndexReport {
  created: number;
}

/**
 * Creates every index; safe to call on every start and from several instances at once.
 * Instances starting together create the same collections and indexes at the same
 * moment; a server on PostgreSQL may then abort one of the racing catalog writes
 * ("deadlock detected", a duplicate catalog row), and that index is simply created again.
 */
export async function ensureIndexes(db: Db): Promise<IndexReport> {
  for (const plan of plans) {
    const options = plan.ttl === true ? { ...plan.options, expireAfterSeconds: 0 } : (plan.options ?? {});
    for (let attempt = 1; ; attempt += 1) {
      try {
        await db.collection(plan.collection).createIndex(plan.key, options);
        break;
      } catch (error) {
        if (attempt >= 8 || !isConcurrentDdlError(error)) throw error;
        await sleep(20 * attempt + Math.random() * 50);
      }
    }
  }
  return { created: plans.length };
}

function isConcurrentDdlError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /deadlock detected|could not serialize|concurrently updated|duplicate key value violates unique constraint/i.test(
    message,
  );
}
