import { Binary, type Collection, type Db } from 'mongodb';
import type { SourceName } from '../domain/movie.js';
import type { ParkedNomination, ParkingPort } from '../resolver/ports.js';

/** `parked_nominations`: one document per parked nomination id (`_id`), the message bytes kept as they were consumed. */
export const parkedCollection = 'parked_nominations';

interface ParkedDocument {
  _id: string;
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
    await this.docs.replaceOne(
      { _id: nominationId },
      { ...rest, key: toBinary(key), value: toBinary(value) },
      { upsert: true },
    );
  }

  async list(source: SourceName, limit: number): Promise<ParkedNomination[]> {
    const docs = await this.docs.find({ source }).sort({ parkedAt: 1 }).limit(limit).toArray();
    return docs.map(({ _id, key, value, ...rest }) => ({
      nominationId: _id,
      ...rest,
      key: toBuffer(key),
      value: toBuffer(value),
    }));
  }

  async remove(nominationId: string): Promise<void> {
    await this.docs.deleteOne({ _id: nominationId });
  }

  async counts(): Promise<Partial<Record<SourceName, number>>> {
    const out: Partial<Record<SourceName, number>> = {};
    for (const doc of await this.docs.find({}, { projection: { source: 1 } }).toArray())
      out[doc.source] = (out[doc.source] ?? 0) + 1;
    return out;
  }
}
