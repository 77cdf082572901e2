import { Binary, type Collection, type Db } from 'mongodb';
import type { SourceName } from '../domain/movie.js';
import type { ParkedFilm, ParkedNomination, ParkingPort } from '../resolver/ports.js';
import { isDuplicateKeyError } from './mongo-errors.js';
import { singleBatch } from './single-batch.js';

/** `parked_nominations`: one document per parked nomination id (`_id`), the message bytes kept as they were consumed. */
export const parkedCollection = 'parked_nominations';

interface ParkedDocument {
  _id: string;
  producedAt?: number;
  film?: ParkedFilm;
  source: SourceName;
  reason: string;
  since: Date;
  parkedAt: Date;
  tierAttempts: Record<string, number>;
  key: Binary | null;
  value: Binary | null;
}

const toBinary = (b: Buffer | null) => (b === null ? null : new Binary(b));
const toBuffer = (b: Binary | null) => (b === null ? null : Buffer.from(b.buffer));

function toEntry({ _id, key, value, ...rest }: ParkedDocument): ParkedNomination {
  return { nominationId: _id, ...rest, key: toBuffer(key), value: toBuffer(value) };
}

/**
 * The parking port on MongoDB. Parking is rare (an outage that outlived the retry horizon),
 * so the list and count queries may scan; the write is a replace by `_id`.
 */
export class MongoParkedNominations implements ParkingPort {
  private readonly docs: Collection<ParkedDocument>;

  constructor(db: Db) {
    this.docs = db.collection<ParkedDocument>(parkedCollection);
  }

  async park(entry: ParkedNomination): Promise<void> {
    const { nominationId, key, value, ...rest } = entry;
    // Versions of one id have different message keys, so an older one can be parked after a
    // newer one: the guard lets it replace only an older (or unversioned) entry; against a
    // newer entry the upsert's insert fails on the _id, and the newer entry stays.
    const older =
      entry.producedAt === undefined
        ? {}
        : { $or: [{ producedAt: { $lte: entry.producedAt } }, { producedAt: { $exists: false } }] };
    try {
      await this.docs.replaceOne(
        { _id: nominationId, ...older },
        { ...rest, key: toBinary(key), value: toBinary(value) },
        { upsert: true },
      );
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  async list(filter: { source?: SourceName }, limit: number): Promise<ParkedNomination[]> {
    const query = filter.source === undefined ? {} : { source: filter.source };
    const docs = await this.docs.find(query, singleBatch(limit)).sort({ parkedAt: 1, _id: 1 }).toArray();
    return docs.map(toEntry);
  }

  async get(nominationId: string): Promise<ParkedNomination | null> {
    const doc = await this.docs.findOne({ _id: nominationId });
    return doc === null ? null : toEntry(doc);
  }

  async remove(nominationId: string, producedAt?: number): Promise<void> {
    await this.docs.deleteOne({ _id: nominationId, ...(producedAt === undefined ? {} : { producedAt }) });
  }

  async counts(): Promise<Partial<Record<SourceName, number>>> {
    const out: Partial<Record<SourceName, number>> = {};
    const groups = this.docs.aggregate<{ _id: SourceName; n: number }>([
      { $group: { _id: '$source', n: { $sum: 1 } } },
    ]);
    for await (const group of groups) out[group._id] = group.n;
    return out;
  }
}
