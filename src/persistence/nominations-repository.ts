import type { Collection, Db } from 'mongodb';
import type { NominatedFilm, Nomination } from '../domain/nomination.js';
import { collectionNames } from './collections.js';
import { isDuplicateKeyError } from './mongo-errors.js';

/**
 * `nominations`: one document per nomination, keyed by the producer's stable id, written
 * whatever the outcome (full, minimal or stub). What a festival announced is immutable
 * (`$setOnInsert`); who won can change after the ceremony, so `won`, `people` and
 * `critical` follow the newest event by `producedAt` (a replay of an older event does not
 * undo a win). The movie link follows the latest call.
 */

/** A nomination as stored. */
export interface NominationDocument {
  nominationId: string;
  festival: string;
  editionYear: number;
  category: string;
  film: NominatedFilm;
  people: string[];
  won: boolean;
  critical: boolean;
  /** producedAt of the newest event applied. */
  producedAt: number;
  movieKey: string;
  createdAt: Date;
  linkedAt: Date;
  updatedAt: Date;
}

/** What record() did. */
export interface RecordResult {
  created: boolean;
  /** The nomination now points at a different movie than before. */
  relinked: boolean;
  /** Newer event data (won, people, critical) was applied. */
  updated: boolean;
}

export class NominationsRepository {
  private readonly nominations: Collection<NominationDocument>;

  constructor(db: Db) {
    this.nominations = db.collection<NominationDocument>(collectionNames.nominations);
  }

  /** Records a nomination and links it to its movie; the same call twice changes nothing. */
  async record(nomination: Nomination, movieKey: string, now = new Date()): Promise<RecordResult> {
    const inserted = await this.insertIfNew(nomination, movieKey, now);
    if (inserted) return { created: true, relinked: false, updated: false };
    const relink = await this.nominations.updateOne(
      { nominationId: nomination.nominationId, movieKey: { $ne: movieKey } },
      { $set: { movieKey, linkedAt: now, updatedAt: now } },
    );
    const newer = await this.nominations.updateOne(
      { nominationId: nomination.nominationId, producedAt: { $lt: nomination.producedAt } },
      {
        $set: {
          won: nomination.won,
          people: nomination.people,
          critical: nomination.critical,
          producedAt: nomination.producedAt,
          updatedAt: now,
        },
      },
    );
    return { created: false, relinked: relink.modifiedCount > 0, updated: newer.modifiedCount > 0 };
  }

  /** Points every nomination of one movie key at another (a title-keyed film got its IMDb ID). */
  async relinkMovie(fromKey: string, toKey: string, now = new Date()): Promise<number> {
    if (fromKey === toKey) return 0;
    return (
      await this.nominations.updateMany(
        { movieKey: fromKey },
        { $set: { movieKey: toKey, linkedAt: now, updatedAt: now } },
      )
    ).modifiedCount;
  }

  async get(nominationId: string): Promise<NominationDocument | null> {
    return this.nominations.findOne({ nominationId }, { projection: { _id: 0 } });
  }

  async findByMovie(movieKey: string): Promise<NominationDocument[]> {
    return this.nominations
      .find({ movieKey }, { projection: { _id: 0 } })
      .sort({ nominationId: 1 })
      .toArray();
  }

  async countByFestival(festival: string): Promise<number> {
    return this.nominations.countDocuments({ festival });
  }

  private async insertIfNew(n: Nomination, movieKey: string, now: Date): Promise<boolean> {
    const doc: NominationDocument = {
      nominationId: n.nominationId,
      festival: n.festival,
      editionYear: n.editionYear,
      category: n.category,
      film: n.film,
      people: n.people,
      won: n.won,
      critical: n.critical,
      producedAt: n.producedAt,
      movieKey,
      createdAt: now,
      linkedAt: now,
      updatedAt: now,
    };
    // One upsert on the natural key: a redelivery, or another instance recording the same
    // nomination, finds it there and changes nothing. Two upserts racing to create it: the
    // loser fails on the unique nominationId index, and the document exists.
    try {
      const result = await this.nominations.updateOne(
        { nominationId: n.nominationId },
        { $setOnInsert: doc },
        { upsert: true },
      );
      return result.upsertedCount === 1;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }
}
