import type { Collection, Db, Filter } from 'mongodb';
import { compact } from '../domain/compact.js';
import { isImdbId } from '../domain/nomination.js';
import { FestivalResolverError } from '../errors.js';
import { collectionNames } from './collections.js';
import {
  contradicts,
  identityOf,
  mergeStoredMovies,
  survivorOf,
  type PendingMerge,
  type StoredMovie,
} from './movie-merge.js';
import { isDuplicateKeyError } from './mongo-errors.js';
import { NominationsRepository } from './nominations-repository.js';
import { ReviewQueueRepository } from './review-queue-repository.js';
import { singleBatch } from './single-batch.js';

/**
 * One film, one movie: folds stored movies that turn out to be one film into one document.
 * Two movies are one film when they share an IMDb or TMDb ID (stored, or only in their
 * data), when one names the other's key as an alias, or — weaker — when one was nominated
 * under a title key the other has (a stub beside its resolved film); a title key shared
 * with a movie of another film is ambiguous and merges nothing. Movies naming different
 * IMDb or TMDb IDs are never merged. The survivor is the IMDb-keyed one (survivorOf); the
 * data follow mergeStoredMovies.
 *
 * Without multi-document transactions a merge is several writes, each safe to repeat:
 * 1. the survivor is written (compare-and-set on its version) with the merged data, the
 *    loser's key as an alias, and `merging`: the loser's key and the unique IDs it still
 *    holds (a unique index lets one document hold an ID at a time);
 * 2. the loser's nominations are relinked to the survivor;
 * 3. the loser is deleted, guarded by the version that was merged: a writer that changed
 *    it meanwhile makes the delete miss, and the merge starts again from both documents;
 * 4. nominations are relinked once more (a write that raced the delete), the loser's open
 *    review items are closed as `merged` (carried over to the survivor while it is a stub),
 *    and the survivor takes the IDs and drops `merging`.
 * A crash between the steps leaves `merging` (or the alias) on the survivor; the next
 * write of the film reconciles and finishes the job.
 */

const maxRounds = 8;
const maxRaces = 6;

/** Review reasons a resolved survivor answers (the film was only unknown under one key). */
const answeredByMerge = new Set(['all_sources_failed', 'stale_stub']);

const isTitleKey = (key: string): boolean => !isImdbId(key);

export class MovieMerger {
  private readonly movies: Collection<StoredMovie>;
  private readonly nominations: NominationsRepository;
  private readonly review: ReviewQueueRepository;

  constructor(db: Db) {
    this.movies = db.collection<StoredMovie>(collectionNames.movies);
    this.nominations = new NominationsRepository(db);
    this.review = new ReviewQueueRepository(db);
  }

  /**
   * Folds every other stored movie of the same film into one, finishing a merge left half
   * done. Returns the movie as it is now (the survivor, whose key may differ from the
   * document's) and the keys merged into it by this call.
   */
  async reconcile(
    document: StoredMovie,
    now: Date,
  ): Promise<{ document: StoredMovie; mergedKeys: string[] }> {
    const mergedKeys: string[] = [];
    let key = document.key;
    let current: StoredMovie = document;
    // The document was just written: the first round works on it, later ones read again.
    let touched = false;
    for (let round = 0; round < maxRounds; round += 1) {
      if (touched) {
        const fresh = await this.live(key);
        if (fresh === null) break;
        current = fresh;
        key = fresh.key;
      }
      if (current.merging !== undefined) {
        mergedKeys.push(...(await this.finish(current, now)));
        touched = true;
        continue;
      }
      const other = await this.sameFilm(current);
      if (other === undefined) break;
      const [survivor, loser] = survivorOf(current, other);
      if (await this.mergePair(survivor.key, loser.key, now)) mergedKeys.push(loser.key);
      key = survivor.key;
      touched = true;
    }
    const settled = touched ? ((await this.live(key)) ?? current) : current;
    return { document: settled, mergedKeys: [...new Set(mergedKeys)] };
  }

  /** Merges two movies of one film unless they contradict each other; the merged (deleted) key, once it is gone. */
  async merge(aKey: string, bKey: string, now: Date): Promise<string | undefined> {
    const [a, b] = await Promise.all([this.get(aKey), this.get(bKey)]);
    if (a === null || b === null || a.key === b.key || contradicts(a, b)) return undefined;
    const [survivor, loser] = survivorOf(a, b);
    return (await this.mergePair(survivor.key, loser.key, now)) ? loser.key : undefined;
  }

  /**
   * A title-keyed movie was re-keyed in place to its IMDb ID: its nominations follow, and
   * its open review item moves to the new key; once the movie is no longer a stub, an item
   * a resolution answers (all sources failed, stale stub) is resolved `by` the writer.
   */
  async followRekey(fromKey: string, movie: StoredMovie, by: string, now: Date): Promise<void> {
    await this.nominations.relinkMovie(fromKey, movie.key, now);
    await this.review.closeMerged(fromKey, movie.key, { carryOver: true, now });
    await this.resolveAnswered(movie, by, now);
  }

  /**
   * A nomination linked to `movieKey` after a merge (or a re-key) took that key over — the
   * merge relinks the nominations it finds, not one written after it — follows it to the
   * movie that holds the key as an alias now. The caller links first, then follows: the
   * alias is written before the merge relinks, so one of the two always moves it. Returns
   * the survivor's key when it moved the nomination.
   */
  async followMerged(movieKey: string, now: Date): Promise<string | undefined> {
    const survivor = await this.movies.findOne({ aliasKeys: movieKey }, { projection: { key: 1 } });
    if (survivor === null || survivor.key === movieKey) return undefined;
    await this.nominations.relinkMovie(movieKey, survivor.key, now);
    return survivor.key;
  }

  private async resolveAnswered(movie: StoredMovie, by: string, now: Date): Promise<void> {
    if (movie.importType === 'stub') return;
    const open = await this.review.get(movie.key);
    if (open?.status === 'open' && answeredByMerge.has(open.reason))
      await this.review.resolve(movie.key, { ...identityOf(movie), by }, now);
  }

  /** The movie under this key, else the one that took it over as an alias. */
  private async live(key: string): Promise<StoredMovie | null> {
    return (await this.get(key)) ?? this.movies.findOne({ aliasKeys: key }, { projection: { _id: 0 } });
  }

  private get(key: string): Promise<StoredMovie | null> {
    return this.movies.findOne({ key }, { projection: { _id: 0 } });
  }

  /** Another stored movie of the same film, if there is one (one indexed query). */
  private async sameFilm(movie: StoredMovie): Promise<StoredMovie | undefined> {
    const ids = identityOf(movie);
    const names = [movie.key, ...movie.aliasKeys];
    const titleKeys = [...new Set([...(movie.titleKeys ?? []), ...names.filter(isTitleKey)])];
    const or: Filter<StoredMovie>[] = [
      { key: { $in: [...new Set([...movie.aliasKeys, ...titleKeys])] } },
      { aliasKeys: { $in: names } },
    ];
    if (titleKeys.length > 0) or.push({ titleKeys: { $in: titleKeys } });
    if (ids.imdbId !== undefined) or.push({ imdbId: ids.imdbId });
    if (ids.tmdbId !== undefined) or.push({ tmdbId: ids.tmdbId });
    const found = (
      await this.movies.find({ $or: or }, { projection: { _id: 0 }, ...singleBatch(20) }).toArray()
    ).filter((m) => m.key !== movie.key);
    const sharesTitle = (m: StoredMovie): boolean =>
      titleKeys.includes(m.key) || (m.titleKeys ?? []).some((k) => titleKeys.includes(k));
    const strong = (m: StoredMovie): boolean => {
      const theirs = identityOf(m);
      return (
        (ids.imdbId !== undefined && theirs.imdbId === ids.imdbId) ||
        (ids.tmdbId !== undefined && theirs.tmdbId === ids.tmdbId) ||
        movie.aliasKeys.includes(m.key) ||
        m.aliasKeys.some((k) => names.includes(k))
      );
    };
    const candidates = found.filter((m) => !contradicts(movie, m));
    const byId = candidates.find(strong);
    if (byId !== undefined) return byId;
    // A title alone is weak evidence: only when no other film was nominated under it.
    return candidates.find(
      (m) =>
        sharesTitle(m) &&
        !found.some(
          (other) =>
            other !== m && sharesTitle(other) && (contradicts(movie, other) || contradicts(m, other)),
        ),
    );
  }

  /** Steps 1–4 for one pair; false when there was nothing to merge (or the survivor itself went). */
  private async mergePair(survivorKey: string, loserKey: string, now: Date, depth = 0): Promise<boolean> {
    for (let race = 0; race < maxRaces; race += 1) {
      const [survivor, loser] = await Promise.all([this.get(survivorKey), this.get(loserKey)]);
      if (survivor === null) return false;
      if (loser === null) {
        if (survivor.merging !== undefined) await this.finish(survivor, now, depth);
        return true;
      }
      if (contradicts(survivor, loser)) return false;
      const merged = mergeStoredMovies(survivor, loser, now);
      // The IDs the loser still holds wait in `merging` until it is deleted.
      const take = compact({
        imdbId: survivor.imdbId === undefined ? loser.imdbId : undefined,
        tmdbId: survivor.tmdbId === undefined ? loser.tmdbId : undefined,
      });
      const merging: PendingMerge = compact({
        ...survivor.merging,
        ...take,
        from: [...new Set([...(survivor.merging?.from ?? []), loser.key])],
      });
      const next: StoredMovie = compact({
        ...merged,
        imdbId: take.imdbId === undefined ? merged.imdbId : survivor.imdbId,
        tmdbId: take.tmdbId === undefined ? merged.tmdbId : survivor.tmdbId,
        merging,
        version: survivor.version + 1,
      });
      try {
        const written = await this.movies.replaceOne({ key: survivor.key, version: survivor.version }, next);
        if (written.matchedCount === 0) continue;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        continue;
      }
      await this.nominations.relinkMovie(loser.key, survivor.key, now);
      const deleted = await this.movies.deleteOne({ key: loser.key, version: loser.version });
      // A writer changed the loser after it was read: merge again from both documents.
      if (deleted.deletedCount === 0) continue;
      await this.finish(next, now, depth);
      return true;
    }
    throw new FestivalResolverError(
      'MONGO_UNAVAILABLE',
      `merging movie ${loserKey} into ${survivorKey} lost ${maxRaces} write races in a row`,
      { retryable: true },
    );
  }

  /** Step 4: once the merged movies are gone, relinks, closes their review items and takes their IDs. */
  private async finish(survivor: StoredMovie, now: Date, depth = 0): Promise<string[]> {
    const pending = survivor.merging;
    if (pending === undefined) return [];
    for (const from of pending.from) {
      // Not deleted yet (a crash, or a racing writer): do the pair again.
      if ((await this.get(from)) !== null) {
        if (depth < 2) await this.mergePair(survivor.key, from, now, depth + 1);
        return pending.from;
      }
    }
    for (const from of pending.from) {
      await this.nominations.relinkMovie(from, survivor.key, now);
      await this.review.closeMerged(from, survivor.key, { carryOver: survivor.importType === 'stub', now });
    }
    for (let race = 0; race < maxRaces; race += 1) {
      const current = await this.get(survivor.key);
      if (current?.merging === undefined) break;
      const ids = compact({
        imdbId: current.imdbId ?? current.merging.imdbId,
        tmdbId: current.tmdbId ?? current.merging.tmdbId,
      });
      try {
        const done = await this.movies.updateOne(
          { key: current.key, version: current.version },
          { $set: { ...ids, updatedAt: now }, $unset: { merging: '' }, $inc: { version: 1 } },
        );
        if (done.matchedCount > 0) break;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        await this.settleIdHolder(current, now, depth);
      }
    }
    const current = await this.get(survivor.key);
    if (current !== null) await this.resolveAnswered(current, 'merge', now);
    return pending.from;
  }

  /**
   * Another movie took one of the IDs a merge is about to hand over: the same film is merged
   * too; another film keeps it and the survivor keeps the ID in its data only.
   */
  private async settleIdHolder(current: StoredMovie, now: Date, depth: number): Promise<void> {
    const pending = current.merging;
    if (pending === undefined) return;
    const or: Filter<StoredMovie>[] = [];
    if (pending.imdbId !== undefined) or.push({ imdbId: pending.imdbId });
    if (pending.tmdbId !== undefined) or.push({ tmdbId: pending.tmdbId });
    if (or.length === 0) return;
    const holders = await this.movies
      .find({ $or: or, key: { $ne: current.key } }, { projection: { _id: 0 } })
      .toArray();
    for (const holder of holders) {
      if (!contradicts(current, holder) && depth < 2) {
        const [survivor, loser] = survivorOf(current, holder);
        await this.mergePair(survivor.key, loser.key, now, depth + 1);
        continue;
      }
      const unset: Record<string, ''> = {};
      if (holder.imdbId !== undefined && holder.imdbId === pending.imdbId) unset['merging.imdbId'] = '';
      if (holder.tmdbId !== undefined && holder.tmdbId === pending.tmdbId) unset['merging.tmdbId'] = '';
      if (Object.keys(unset).length > 0)
        await this.movies.updateOne({ key: current.key }, { $unset: unset, $inc: { version: 1 } });
    }
  }
}
