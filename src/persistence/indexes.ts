import type { CreateIndexesOptions, Db, IndexSpecification } from 'mongodb';
import { collectionNames } from './collections.js';
import { isNotImplementedError } from './mongo-errors.js';

/**
 * The indexes of every collection. Only options both FerretDB 1.24 and MongoDB accept:
 * FerretDB lacks partialFilterExpression, so "unique where present" is a sparse unique
 * index (on FerretDB a missing field never collides, on MongoDB sparse skips it); the
 * review queue's "one open item per movie" is a sparse unique `openKey` that exists only
 * while the item is open. TTL indexes are attempted and fall back to plain indexes, so
 * every reader also filters on `expiresAt > now`.
 */

interface IndexPlan {
  collection: string;
  key: IndexSpecification;
  options?: CreateIndexesOptions;
  /** A TTL index: kept as a plain index when the server cannot expire documents. */
  ttl?: boolean;
}

const plans: IndexPlan[] = [
  { collection: collectionNames.movies, key: { key: 1 }, options: { unique: true, name: 'key_unique' } },
  { collection: collectionNames.movies, key: { imdbId: 1 }, options: { unique: true, sparse: true, name: 'imdbId_unique' } },
  { collection: collectionNames.movies, key: { tmdbId: 1 }, options: { unique: true, sparse: true, name: 'tmdbId_unique' } },
  { collection: collectionNames.movies, key: { aliasKeys: 1 }, options: { name: 'aliasKeys' } },
  { collection: collectionNames.movies, key: { needsEnrichment: 1, lastEnrichmentAttempt: 1 }, options: { name: 'enrichment' } },
  { collection: collectionNames.movies, key: { importType: 1, createdAt: 1 }, options: { name: 'importType_createdAt' } },
  { collection: collectionNames.nominations, key: { nominationId: 1 }, options: { unique: true, name: 'nominationId_unique' } },
  { collection: collectionNames.nominations, key: { movieKey: 1 }, options: { name: 'movieKey' } },
  { collection: collectionNames.nominations, key: { festival: 1 }, options: { name: 'festival' } },
  { collection: collectionNames.lookupMetrics, key: { inserted_at: 1 }, options: { name: 'inserted_at' } },
  { collection: collectionNames.lookupMetrics, key: { source: 1, inserted_at: 1 }, options: { name: 'source_inserted_at' } },
  { collection: collectionNames.lookupMetrics, key: { 'metadata.festival': 1 }, options: { name: 'metadata_festival' } },
  { collection: collectionNames.lookupCache, key: { source: 1, identifier: 1 }, options: { unique: true, name: 'source_identifier_unique' } },
  { collection: collectionNames.lookupCache, key: { expiresAt: 1 }, options: { name: 'expiresAt' }, ttl: true },
  { collection: collectionNames.reviewQueue, key: { openKey: 1 }, options: { unique: true, sparse: true, name: 'openKey_unique' } },
  { collection: collectionNames.reviewQueue, key: { movieKey: 1, createdAt: -1 }, options: { name: 'movieKey_createdAt' } },
  { collection: collectionNames.reviewQueue, key: { status: 1, createdAt: 1 }, options: { name: 'status_createdAt' } },
  { collection: collectionNames.spendLedger, key: { scope: 1, seq: -1 }, options: { name: 'scope_seq' } },
  { collection: collectionNames.spendLedger, key: { expiresAt: 1 }, options: { name: 'expiresAt' }, ttl: true },
  { collection: collectionNames.rateLimits, key: { scope: 1, seq: -1 }, options: { name: 'scope_seq' } },
  { collection: collectionNames.rateLimits, key: { expiresAt: 1 }, options: { name: 'expiresAt' }, ttl: true },
];

/** What ensureIndexes found out about the server. */
export interface IndexReport {
  /** false when the server has no TTL indexes (FerretDB 1.24): expired documents stay until purged. */
  ttlSupported: boolean;
  created: number;
}

/** Creates every index; safe to call on every start and from several instances at once. */
export async function ensureIndexes(db: Db): Promise<IndexReport> {
  let ttlSupported = true;
  for (const plan of plans) {
    const collection = db.collection(plan.collection);
    if (plan.ttl === true) {
      try {
        await collection.createIndex(plan.key, { ...plan.options, expireAfterSeconds: 0 });
        continue;
      } catch (error) {
        if (!isNotImplementedError(error)) throw error;
        ttlSupported = false;
      }
    }
    await collection.createIndex(plan.key, plan.options ?? {});
  }
  return { ttlSupported, created: plans.length };
}
