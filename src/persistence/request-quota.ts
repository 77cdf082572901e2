import type { Collection, Db } from 'mongodb';
import type { SourceName } from '../domain/movie.js';
import type { RequestQuotaPort } from '../resolver/ports.js';
import { collectionNames } from './collections.js';
import { isDuplicateKeyError } from './mongo-errors.js';

interface QuotaCounter {
  _id: string;
  sent: number;
  expiresAt: Date;
}

const retentionMs = 3 * 86_400_000;

/**
 * Daily request quotas (OMDb's plan: requests per UTC day) counted per request sent, by
 * every instance: one guarded `$inc` per request on a counter per source and day, so the
 * requests sent never exceed the quota, whatever the concurrency. The spend ledger's
 * reservations count lookups and are given back for uncharged answers; a quota counts
 * every request, a 503 or a retry included.
 */
export class MongoRequestQuota implements RequestQuotaPort {
  private readonly counters: Collection<QuotaCounter>;

  constructor(
    db: Db,
    private readonly quotas: Partial<Record<SourceName, number>>,
  ) {
    this.counters = db.collection<QuotaCounter>(collectionNames.requestQuota);
  }

  async take(source: SourceName, now = new Date()): Promise<boolean> {
    const quota = this.quotas[source];
    if (quota === undefined) return true;
    if (quota < 1) return false;
    const filter = { _id: `${source}:${now.toISOString().slice(0, 10)}`, sent: { $lt: quota } };
    try {
      const applied = await this.counters.updateOne(
        filter,
        { $inc: { sent: 1 }, $setOnInsert: { expiresAt: new Date(now.getTime() + retentionMs) } },
        { upsert: true },
      );
      return applied.modifiedCount + applied.upsertedCount === 1;
    } catch (error) {
      // The day's counter exists and is full, or another instance created it a moment ago.
      if (!isDuplicateKeyError(error)) throw error;
    }
    const applied = await this.counters.updateOne(filter, { $inc: { sent: 1 } });
    return applied.modifiedCount === 1;
  }
}
