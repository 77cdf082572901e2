import { setTimeout as sleep } from 'node:timers/promises';
import type { Collection, Db, Filter } from 'mongodb';
import { filmKey } from '../domain/film-key.js';
import type { LockableField } from '../domain/movie.js';
import { isImdbId } from '../domain/nomination.js';
import { FestivalResolverError } from '../errors.js';
import { collectionNames } from './collections.js';
import { defaultEnrichmentSchedule, type EnrichmentSchedule } from './enrichment-schedule.js';
import { dueForEnrichment, markEnrichmentAttempt } from './enrichment-queue.js';
import type { FilmRef, ResolvedWrite, UpsertResult } from './movie-writes.js';
import { compact } from '../domain/compact.js';
import { contradicts, mergeMovie, type MovieWrite, type StoredMovie } from './movie-merge.js';
import { isAbortedRace, isDuplicateKeyError } from './mongo-errors.js';
import { MovieMerger } from './movie-merger.js';
import { singleBatch } from './single-batch.js';

/**
 * `movies`: one document per film, idempotent by its natural key `key` (unique index;
 * movie-merge.ts has the rules). Writes are optimistic: read, merge in code, then replace
 * on `version`, an atomic compare-and-set; a lost race reads again. A new film is inserted
 * and a racing insert of the same film fails on the unique key, so the loser reads the
 * winner's document and merges into it.
 *
 * A film first seen without an IMDb ID is stored under its title key
 * (`title:<normalised>:<year>`). When it later arrives with an IMDb ID — from a nomination
 * or from a source's external IDs — the same document is re-keyed in place to the IMDb ID
 * and the title key is kept in `aliasKeys`; the result carries `previousKey` so the caller
 * re-links that film's nominations (NominationsRepository.relinkMovie). Callers always
 * link a nomination to `result.document.key`, never to a key they computed.
 *
 * One film, one movie: a write that shares an IMDb or TMDb ID with a stored movie goes
 * into it, and after every write the film's other stored movies (two writers racing, a
 * stub under a title key beside the resolved film, a title-keyed movie holding the TMDb ID
 * the IMDb-keyed one just learnt) are merged into one by MovieMerger: `mergedKeys` names
 * them, their nominations are relinked and their review items closed. A TMDb ID already
 * held by a movie of another film (another IMDb ID) stays in `data` only.
 */

const maxRaces = 8;

/** Full jitter: writers the server aborted together (isAbortedRace) come back apart. */
const abortedRacePause = (race: number): Promise<void> =>
  sleep(Math.random() * Math.min(400, 25 * 2 ** (race + 1)));

function validImdbId(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed !== undefined && isImdbId(trimmed) ? trimmed : undefined;
}

export class MoviesRepository {
  private readonly movies: Collection<StoredMovie>;
  private readonly merger: MovieMerger;

  constructor(db: Db) {
    this.movies = db.collection<StoredMovie>(collectionNames.movies);
    this.merger = new MovieMerger(db);
  }

  /** Stores a source's match (full or minimal): creates, upgrades or leaves the movie as it is. */
  async upsertResolved(input: ResolvedWrite): Promise<UpsertResult> {
    const imdbId = validImdbId(input.film.imdbId) ?? validImdbId(input.movie.externalIds.imdbId);
    const write: MovieWrite = compact({
      key: filmKey({ imdbId, title: input.film.title, year: input.film.year }),
      imdbId,
      tmdbId: input.movie.externalIds.tmdbId,
      title: input.movie.title,
      originalTitle: input.movie.originalTitle,
      year: input.movie.year ?? input.film.year ?? undefined,
      data: input.movie,
      importType: input.importType,
      confidence: input.confidence,
      sources: input.sources,
      curated: input.curated,
      titleKey:
        input.recordTitleKey === false
          ? undefined
          : filmKey({ title: input.film.title, year: input.film.year }),
    });
    const now = input.now ?? new Date();
    const result = await this.upsert(write, input.film, now, input.answeredBy ?? 'nomination');
    const about = input.sameFilmAs;
    if (about === undefined || about === result.document.key || about === result.previousKey) return result;
    const gone = await this.merger.merge(about, result.document.key, now);
    if (gone === undefined) return result;
    const survivor = await this.movies.findOne(
      { $or: [{ key: result.document.key }, { aliasKeys: result.document.key }] },
      { projection: { _id: 0 } },
    );
    const merged = await this.reconciled({ ...result, document: survivor ?? result.document }, now);
    return { ...merged, mergedKeys: [...new Set([gone, ...result.mergedKeys, ...merged.mergedKeys])] };
  }

  /** Stores a stub for a film every tier failed on; never touches a better record. */
  async upsertStub(film: FilmRef, now = new Date()): Promise<UpsertResult> {
    const imdbId = validImdbId(film.imdbId);
    const write: MovieWrite = compact({
      key: filmKey({ imdbId, title: film.title, year: film.year }),
      imdbId,
      title: film.title,
      originalTitle: film.originalTitle ?? undefined,
      year: film.year ?? undefined,
      importType: 'stub',
      confidence: 0,
      sources: [],
      titleKey: filmKey({ title: film.title, year: film.year }),
    });
    return this.upsert(write, film, now);
  }

  async get(key: string): Promise<StoredMovie | null> {
    return this.movies.findOne({ $or: [{ key }, { aliasKeys: key }] });
  }

  /** Notes an enrichment attempt, whatever its outcome, so the schedule can space them. */
  async markEnrichmentAttempt(
    key: string,
    now = new Date(),
    schedule: EnrichmentSchedule = defaultEnrichmentSchedule,
  ): Promise<void> {
    await markEnrichmentAttempt(this.movies, key, now, schedule);
  }

  /** A curator's decision: sets the values and locks them (and the match) against enrichment. */
  async lockFields(
    key: string,
    values: { imdbId?: string; tmdbId?: number },
    now = new Date(),
  ): Promise<StoredMovie | null> {
    const fields: LockableField[] = [
      'match',
      ...(values.imdbId === undefined ? [] : (['imdbId'] as const)),
      ...(values.tmdbId === undefined ? [] : (['tmdbId'] as const)),
    ];
    await this.movies.updateOne(
      { key },
      { $set: { ...compact(values), updatedAt: now }, $addToSet: { locked: { $each: fields } } },
    );
    return this.movies.findOne({ key });
  }

  /** Minimal and stub movies due for enrichment at `now`, least recently tried first (enrichment-queue.ts). */
  async findForEnrichment(options: { now?: Date; limit?: number } = {}): Promise<StoredMovie[]> {
    return dueForEnrichment(this.movies, options);
  }

  private async upsert(
    input: MovieWrite,
    film: FilmRef,
    now: Date,
    answeredBy = 'nomination',
  ): Promise<UpsertResult> {
    const write = { ...input };
    for (let race = 0; race < maxRaces; race += 1) {
      const existing = await this.findExisting(write, film);
      // A stored IMDb key wins; only a title key is replaced (by the IMDb key).
      const target: MovieWrite =
        existing !== null && (isImdbId(existing.key) || !isImdbId(write.key))
          ? { ...write, key: existing.key }
          : write;
      if (
        existing !== null &&
        existing.tmdbId !== undefined &&
        target.tmdbId !== undefined &&
        existing.tmdbId !== target.tmdbId
      )
        delete target.tmdbId;
      const merged = mergeMovie(existing, target, now);
      if (existing === null) {
        const document = { ...merged.document };
        try {
          await this.movies.insertOne({ ...document });
          return this.reconciled({ created: true, upgraded: false, changed: true, document }, now);
        } catch (error) {
          if (isAbortedRace(error)) {
            await abortedRacePause(race);
            continue;
          }
          if (!isDuplicateKeyError(error)) throw error;
          // Another writer created this film (the next read finds it by key or ID), or a
          // movie of another film holds this TMDb ID: the write keeps it in `data` only.
          await this.settleConflict(write, null, now);
          continue;
        }
      }
      if (!merged.changed)
        return this.reconciled({ created: false, upgraded: false, changed: false, document: existing }, now);
      const next = { ...merged.document, version: existing.version + 1 };
      try {
        const replaced = await this.movies.replaceOne({ key: existing.key, version: existing.version }, next);
        if (replaced.matchedCount === 0) continue;
      } catch (error) {
        if (isAbortedRace(error)) {
          await abortedRacePause(race);
          continue;
        }
        if (!isDuplicateKeyError(error)) throw error;
        // Another movie holds the key or an ID this write brings: one film is merged, another film's ID is dropped.
        await this.settleConflict(write, existing, now);
        continue;
      }
      const previousKey = existing.key !== next.key ? existing.key : undefined;
      if (previousKey !== undefined) await this.merger.followRekey(previousKey, next, answeredBy, now);
      return this.reconciled(
        compact({ created: false, upgraded: merged.upgraded, changed: true, document: next, previousKey }),
        now,
      );
    }
    throw new FestivalResolverError(
      'MONGO_UNAVAILABLE',
      `movie ${write.key} lost ${maxRaces} write races in a row`,
      { retryable: true },
    );
  }

  /** After a write: the film's other stored movies are merged into one (see MovieMerger). */
  private async reconciled(result: Omit<UpsertResult, 'mergedKeys'>, now: Date): Promise<UpsertResult> {
    const { document, mergedKeys } = await this.merger.reconcile(result.document, now);
    if (mergedKeys.length === 0 && document.key === result.document.key)
      return { ...result, document, mergedKeys };
    return { ...result, document, changed: true, mergedKeys };
  }

  /**
   * A write failed on a unique index: the movie holding the key or ID is either this film
   * (merged with the one being written, so the next attempt finds one document) or another
   * film, whose TMDb ID the write then keeps in `data` only. Never a movie without an IMDb ID
   * taken for another film: that is how a film used to end up as two movies.
   */
  private async settleConflict(write: MovieWrite, existing: StoredMovie | null, now: Date): Promise<void> {
    const or: Filter<StoredMovie>[] = [{ key: write.key }];
    if (write.imdbId !== undefined) or.push({ imdbId: write.imdbId });
    if (write.tmdbId !== undefined) or.push({ tmdbId: write.tmdbId });
    const holders = await this.movies
      .find({ $or: or }, { projection: { _id: 0 }, ...singleBatch(5) })
      .toArray();
    for (const holder of holders) {
      if (existing !== null && holder.key === existing.key) continue;
      const otherFilm =
        (write.imdbId !== undefined && holder.imdbId !== undefined && holder.imdbId !== write.imdbId) ||
        (existing !== null && contradicts(existing, holder));
      if (otherFilm) {
        if (write.tmdbId !== undefined && holder.tmdbId === write.tmdbId) delete write.tmdbId;
        continue;
      }
      if (existing !== null) await this.merger.merge(existing.key, holder.key, now);
    }
  }

  /**
   * The stored movie this write is about: by key, by an earlier key, by IMDb ID, by TMDb ID
   * (unless that movie has another IMDb ID), or a title-keyed movie about to get its IMDb ID.
   */
  private async findExisting(write: MovieWrite, film: FilmRef): Promise<StoredMovie | null> {
    // One query over the unique and indexed fields; the server answers each branch from its index.
    const titleKey = filmKey({ title: film.title, year: film.year });
    const or: Filter<StoredMovie>[] = [{ key: write.key }, { aliasKeys: write.key }];
    if (write.imdbId !== undefined) or.push({ imdbId: write.imdbId });
    if (write.tmdbId !== undefined) or.push({ tmdbId: write.tmdbId });
    if (titleKey !== write.key) or.push({ key: titleKey });
    or.push({ titleKeys: titleKey });
    const candidates = await this.movies
      .find({ $or: or }, { projection: { _id: 0 }, ...singleBatch(10) })
      .toArray();
    const compatible = (m: StoredMovie): boolean =>
      write.imdbId === undefined || m.imdbId === undefined || m.imdbId === write.imdbId;
    const pick = (test: (m: StoredMovie) => boolean): StoredMovie | undefined =>
      candidates.find((m) => test(m) && compatible(m));
    return (
      pick((m) => m.key === write.key) ??
      pick((m) => m.aliasKeys.includes(write.key)) ??
      pick((m) => write.imdbId !== undefined && m.imdbId === write.imdbId) ??
      pick((m) => write.tmdbId !== undefined && m.tmdbId === write.tmdbId) ??
      pick((m) => m.key === titleKey) ??
      this.byTitleKey(candidates, titleKey, compatible) ??
      null
    );
  }

  /** A movie nominated under this title key, unless movies of two films were (then the title says nothing). */
  private byTitleKey(
    candidates: StoredMovie[],
    titleKey: string,
    compatible: (m: StoredMovie) => boolean,
  ): StoredMovie | undefined {
    const named = candidates.filter((m) => (m.titleKeys ?? []).includes(titleKey));
    const first = named[0];
    if (first === undefined || named.some((m) => contradicts(first, m)) || !compatible(first))
      return undefined;
    return first;
  }
}
