import type { Collection, Db } from 'mongodb';
import type { Config } from '../config.js';
import type { SourceName } from '../domain/movie.js';
import { collectionNames } from './collections.js';

/**
 * Results of upstream lookups by source + identifier (for example `imdb:tt0111161` or a
 * normalised title query), so that a replay or a second festival listing the same film
 * does not pay again. Hits are kept `hitTtlDays`, misses `missTtlHours` (a film missing
 * today may be added upstream tomorrow), a page given up as blocked `blockedTtlHours` (every
 * blocked fetch is charged; a challenge may lift within hours). Transient failures are never
 * cached.
 * A TTL index on `expiresAt` deletes expired entries (the server's monitor runs about once
 * a minute, so reads filter on `expiresAt` too); each store is one upsert.
 */

/** What the cache holds for one lookup. */
export type CachedValue<T> =
  { kind: 'found'; value: T } | { kind: 'not_found'; value?: T } | { kind: 'blocked'; value?: undefined };

/** A cache entry as returned by get(). */
export type CacheEntry<T> = CachedValue<T> & { storedAt: Date; expiresAt: Date };

interface CacheDocument {
  /** `<source>:<identifier>`: the natural key. */
  _id: string;
  source: SourceName;
  identifier: string;
  kind: CachedValue<unknown>['kind'];
  value?: unknown;
  storedAt: Date;
  expiresAt: Date;
}

const hour = 3600 * 1000;

const cacheId = (source: SourceName, identifier: string): string => `${source}:${identifier}`;

export class LookupCache {
  private readonly entries: Collection<CacheDocument>;

  constructor(
    db: Db,
    private readonly ttl: Config['cache'],
  ) {
    this.entries = db.collection<CacheDocument>(collectionNames.lookupCache);
  }

  /** The unexpired entry, or null. `T` is the caller's promise about what it stored. */
  async get<T>(source: SourceName, identifier: string, now = new Date()): Promise<CacheEntry<T> | null> {
    const doc = await this.entries.findOne({ _id: cacheId(source, identifier), expiresAt: { $gt: now } });
    if (doc === null) return null;
    const base = { storedAt: doc.storedAt, expiresAt: doc.expiresAt };
    if (doc.kind === 'found') return { kind: 'found', value: doc.value as T, ...base };
    if (doc.kind === 'blocked') return { kind: 'blocked', ...base };
    return doc.value === undefined
      ? { kind: 'not_found', ...base }
      : { kind: 'not_found', value: doc.value as T, ...base };
  }

  /** Stores (or replaces) the result of a lookup; returns when it expires. */
  async set<T>(
    source: SourceName,
    identifier: string,
    result: CachedValue<T>,
    now = new Date(),
  ): Promise<Date> {
    const lifetime =
      result.kind === 'found'
        ? this.ttl.hitTtlDays * 24 * hour
        : result.kind === 'blocked'
          ? this.ttl.blockedTtlHours * hour
          : this.ttl.missTtlHours * hour;
    const expiresAt = new Date(now.getTime() + lifetime);
    const id = cacheId(source, identifier);
    const fields = { source, identifier, kind: result.kind, storedAt: now, expiresAt };
    // Replaces whatever was there (an expired entry, a miss that is now a hit, or the same
    // lookup stored a moment ago by another instance).
    const update =
      result.value === undefined
        ? { $set: fields, $unset: { value: '' as const } }
        : { $set: { ...fields, value: result.value } };
    await this.entries.updateOne({ _id: id }, update, { upsert: true });
    return expiresAt;
  }

  /** Forgets one entry (a curator fixed the film, or a test). */
  async delete(source: SourceName, identifier: string): Promise<void> {
    await this.entries.deleteOne({ _id: cacheId(source, identifier) });
  }

  /** Deletes expired entries now rather than at the TTL monitor's next pass; returns how many. */
  async purgeExpired(now = new Date()): Promise<number> {
    return (await this.entries.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
  }
}
