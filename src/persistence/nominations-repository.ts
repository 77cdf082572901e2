import { setTimeout as sleep } from 'node:timers/promises';
import type { Collection, Db } from 'mongodb';
import type { Nomination } from '../domain/nomination.js';
import { collectionNames } from './collections.js';
import { isAbortedRace, isDuplicateKeyError } from './mongo-errors.js';
import {
  nominationStanding,
  type MovieEventDue,
  type NominationWrite,
} from '../domain/nomination-identity.js';

/**
 * `nominations`: one document per nomination, keyed by the producer's stable id, written
 * whatever the outcome (full, minimal or stub), holding the newest version by `producedAt`
 * (src/domain/nomination-identity.ts has the rule). A newer version is applied whole — the
 * announced fields, `producedAt` and the movie link — by one update guarded on
 * `producedAt < incoming` and on the movie key it read, so two versions written at once, in
 * any order and by any instances, end with the newest; a lost race reads again. An older
 * version changes nothing (`stale`); the same `producedAt` with other content is a
 * `conflict` and changes nothing; the same version again changes nothing, unless its film
 * now resolves to another movie, when the link follows it.
 *
 * A move from one movie to another leaves both in `eventsDue` in the same update: each
 * movie's event must be published again with its new list of nominations; so does a new
 * nomination of a movie that existed before it (its insert owes that movie an event). The
 * caller publishes them and clears each (eventAnnounced) once it is durable, so a crash in
 * between publishes them on redelivery.
 */

/** A nomination as stored: the version's fields (its `producedAt` the one stored) and the link. */
export interface NominationDocument extends Nomination {
  movieKey: string;
  /** Movies to announce again after a move or a join (absent when none are owed). */
  eventsDue?: MovieEventDue[];
  createdAt: Date;
  linkedAt: Date;
  updatedAt: Date;
}

/** A write that lost a race re-reads; this many losses in a row is not a race but a bug. */
const maxRaces = 10;

export class NominationsRepository {
  private readonly nominations: Collection<NominationDocument>;

  constructor(db: Db) {
    this.nominations = db.collection<NominationDocument>(collectionNames.nominations);
  }

  /**
   * Records a version of a nomination linked to its movie (see the rule above); the same call
   * twice changes nothing. `joinsExisting`: the movie existed before this nomination's pass,
   * so a new nomination changes the list its event announced and owes it an event (kept on
   * the nomination until published, like a move's); a movie created by this pass is announced
   * for its own sake.
   */
  async record(
    nomination: Nomination,
    movieKey: string,
    now = new Date(),
    options: { joinsExisting?: boolean } = {},
  ): Promise<NominationWrite> {
    const joinDue: MovieEventDue[] =
      options.joinsExisting === true ? [{ movieKey, producedAt: nomination.producedAt }] : [];
    const insert = () => this.insertIfNew(nomination, movieKey, now, joinDue);
    if (await insert()) return { kind: 'created', eventsDue: joinDue };
    for (let race = 0; race < maxRaces; race++) {
      // Full jitter: writers the server aborted together (isAbortedRace) come back apart.
      if (race > 0) await sleep(Math.random() * Math.min(400, 25 * 2 ** race));
      const stored = await this.get(nomination.nominationId);
      if (stored === null) {
        if (await insert()) return { kind: 'created', eventsDue: joinDue };
        continue;
      }
      const eventsDue = stored.eventsDue ?? [];
      const standing = nominationStanding(nomination, stored);
      switch (standing.kind) {
        case 'stale':
          return { kind: 'stale', storedProducedAt: standing.storedProducedAt, eventsDue };
        case 'conflict':
          return {
            kind: 'conflict',
            storedProducedAt: standing.storedProducedAt,
            fields: standing.fields,
            eventsDue,
          };
        case 'same':
          if (stored.movieKey === movieKey) return { kind: 'unchanged', eventsDue };
          break;
        case 'new':
        case 'newer':
          break;
      }
      const written = await this.writeVersion(nomination, movieKey, stored, standing.kind === 'same', now);
      if (written === null) continue;
      const movedFrom = stored.movieKey === movieKey ? undefined : stored.movieKey;
      const due = written.eventsDue ?? [];
      if (standing.kind === 'same' && movedFrom !== undefined)
        return { kind: 'relinked', movedFrom, eventsDue: due };
      return { kind: 'applied', ...(movedFrom === undefined ? {} : { movedFrom }), eventsDue: due };
    }
    throw new Error(
      `nomination ${nomination.nominationId}: lost ${maxRaces} races in a row writing producedAt ${nomination.producedAt}`,
    );
  }

  /** Clears one owed movie event once it is durable on Kafka; repeating it changes nothing. */
  async eventAnnounced(nominationId: string, due: MovieEventDue): Promise<void> {
    await this.nominations.updateOne(
      { nominationId },
      { $pull: { eventsDue: { movieKey: due.movieKey, producedAt: due.producedAt } } },
    );
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

  /**
   * Writes the incoming version over the one read, or returns null when the stored document
   * is no longer that one: the guard admits a newer producedAt only (or, for the same
   * version, exactly it), and only while the movie link is the one read, so the movies
   * owed an event are the right ones.
   */
  private async writeVersion(
    n: Nomination,
    movieKey: string,
    stored: NominationDocument,
    sameVersion: boolean,
    now: Date,
  ): Promise<NominationDocument | null> {
    const moved = stored.movieKey !== movieKey;
    const version = sameVersion ? {} : versionFields(n);
    const written = this.nominations.findOneAndUpdate(
      {
        nominationId: n.nominationId,
        producedAt: sameVersion ? n.producedAt : { $lt: n.producedAt },
        movieKey: stored.movieKey,
      },
      {
        $set: { ...version, movieKey, updatedAt: now, ...(moved ? { linkedAt: now } : {}) },
        ...(moved
          ? {
              $addToSet: {
                eventsDue: {
                  $each: [
                    { movieKey: stored.movieKey, producedAt: n.producedAt },
                    { movieKey, producedAt: n.producedAt },
                  ],
                },
              },
            }
          : {}),
      },
      { returnDocument: 'after', projection: { _id: 0 } },
    );
    return written.catch((error: unknown) => {
      if (isAbortedRace(error)) return null;
      throw error;
    });
  }

  private async insertIfNew(
    n: Nomination,
    movieKey: string,
    now: Date,
    eventsDue: MovieEventDue[],
  ): Promise<boolean> {
    const doc: NominationDocument = {
      nominationId: n.nominationId,
      ...versionFields(n),
      movieKey,
      ...(eventsDue.length > 0 ? { eventsDue } : {}),
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
      // Either way the other writer's document is there or about to be: record() reads it.
      if (isDuplicateKeyError(error) || isAbortedRace(error)) return false;
      throw error;
    }
  }
}

/** What a version of a nomination says: everything but its id, copied field by field so that nothing else travels. */
function versionFields(n: Nomination): Omit<Nomination, 'nominationId'> {
  return {
    festival: n.festival,
    editionYear: n.editionYear,
    category: n.category,
    film: n.film,
    people: n.people,
    won: n.won,
    critical: n.critical,
    producedAt: n.producedAt,
  };
}
