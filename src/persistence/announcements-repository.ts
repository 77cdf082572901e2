import type { Collection, Db } from 'mongodb';
import { collectionNames } from './collections.js';
import { isDuplicateKeyError } from './mongo-errors.js';

/**
 * `movie_announcements`: one marker per movie state that has been announced on
 * movie.resolved / movie.stub, `_id` = `<movieKey>|<state>` (see announcedState). It is
 * written after the event is durable on Kafka, so a crash in between leaves no marker and
 * the redelivered nomination announces again (at least once).
 *
 * Why a collection of its own rather than a field on the movie: a marker is one small
 * insert and a check an `_id` lookup, whereas the field meant an update of the movie. On
 * FerretDB 1.24 as released that update scanned every movie (5 ms at 100 movies, 120 ms at
 * 2,000); with the stack's patch (src/stack/prerequisites.ts) it uses the `_id` index but
 * still reads and rewrites the whole movie document.
 */

interface AnnouncementDocument {
  _id: string;
  movieKey: string;
  state: string;
  at: Date;
}

const markerId = (movieKey: string, state: string): string => `${movieKey}|${state}`;

export class AnnouncementsRepository {
  private readonly markers: Collection<AnnouncementDocument>;

  constructor(db: Db) {
    this.markers = db.collection<AnnouncementDocument>(collectionNames.announcements);
  }

  /** True once `state` of the movie has been announced. */
  async isAnnounced(movieKey: string, state: string): Promise<boolean> {
    return (await this.markers.findOne({ _id: markerId(movieKey, state) }, { projection: { _id: 1 } })) !== null;
  }

  /** Records that `state` of the movie has been announced; repeating it changes nothing. */
  async markAnnounced(movieKey: string, state: string, at = new Date()): Promise<void> {
    try {
      await this.markers.insertOne({ _id: markerId(movieKey, state), movieKey, state, at });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
}
