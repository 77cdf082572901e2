import type { Collection, Db } from 'mongodb';
import { collectionNames } from './collections.js';

/**
 * A movie's announced states, kept on the movie (`announcedStates`): each state of the
 * movie that has been announced on movie.resolved / movie.stub (see announcedState). It
 * is added after the event is durable on Kafka, so a crash in between leaves it out and
 * the redelivered nomination announces again (at least once). The `$addToSet` also bumps
 * `version`, so a movie write that read the movie before it fails its compare-and-set
 * and reads again instead of dropping the state. The keys an event named as replaced are
 * taken off the movie's `replacesKeys` in the same update.
 */

interface AnnouncedMovie {
  key: string;
  version: number;
  announcedStates?: string[];
  replacesKeys?: string[];
}

export class AnnouncementsRepository {
  private readonly movies: Collection<AnnouncedMovie>;

  constructor(db: Db) {
    this.movies = db.collection<AnnouncedMovie>(collectionNames.movies);
  }

  /** True once `state` of the movie has been announced. */
  async isAnnounced(movieKey: string, state: string): Promise<boolean> {
    return (
      (await this.movies.findOne({ key: movieKey, announcedStates: state }, { projection: { _id: 1 } })) !==
      null
    );
  }

  /** Records that `state` of the movie (and the keys it replaces) has been announced; repeating it changes nothing. */
  async markAnnounced(movieKey: string, state: string, replacesKeys: readonly string[] = []): Promise<void> {
    await this.movies.updateOne(
      {
        key: movieKey,
        $or: [
          { announcedStates: { $ne: state } },
          ...(replacesKeys.length > 0 ? [{ replacesKeys: { $in: [...replacesKeys] } }] : []),
        ],
      },
      {
        $addToSet: { announcedStates: state },
        ...(replacesKeys.length > 0 ? { $pull: { replacesKeys: { $in: [...replacesKeys] } } } : {}),
        $inc: { version: 1 },
      },
    );
  }
}
