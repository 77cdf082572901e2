import type { Collection, Db, Filter } from 'mongodb';
import { filmKey, type FilmKeyInput } from '../domain/film-key.js';
import type { LockableField, NormalizedMovie, SourceName } from '../domain/movie.js';
import { isImdbId } from '../domain/nomination.js';
import { FestivalResolverError } from '../errors.js';
import { collectionNames } from './collections.js';
import { defaultEnrichmentSchedule, type EnrichmentSchedule } from './enrichment-schedule.js';
import { compact, mergeMovie, type MovieWrite, type StoredMovie } from './movie-merge.js';
import { isDuplicateKeyError } from './mongo-errors.js';

/**
 * `movies`: one document per film, idempotent by natural key (movie-merge.ts has the
 * rules). Writes are optimistic: read, merge in code, then replace on `version`; a lost
 * race reads again. On MongoDB that is a true compare-and-set; FerretDB 1.24 does not
 * apply the conditional replace atomically, which is acceptable because one film's
 * nominations share a Kafka key (one partition, one instance, in order) and in-process
 * lookups are single-flighted — only the enrichment job can race the consumer.
 *
 * A film first seen without an IMDb ID is stored under its title key
 * (`title:<normalised>:<year>`). When it later arrives with an IMDb ID — from a nomination
 * or from a source's external IDs — the same document is re-keyed in place to the IMDb ID
 * and the title key is kept in `aliasKeys`; the result carries `previousKey` so the caller
 * re-links that film's nominations (NominationsRepository.relinkMovie). Callers always
 * link a nomination to `result.document.key`, never to a key they computed.
 */

/** The nominated film, as the festival described it. */
export interface FilmRef extends FilmKeyInput {
  originalTitle?: string | null;
}

/** A source's accepted match. */
export interface ResolvedWrite {
  film: FilmRef;
  movie: NormalizedMovie;
  importType: 'full' | 'minimal';
  confidence: number;
  /** Sources that contributed, in the order they did. */
  sources: SourceName[];
  now?: Date;
  /** Fetched with a curator's locked IDs (see MovieWrite.curated). */
  curated?: boolean;
}

/** What an upsert did. */
export interface UpsertResult {
  created: boolean;
  upgraded: boolean;
  changed: boolean;
  document: StoredMovie;
  /** Set when a title-keyed movie was re-keyed to its IMDb ID. */
  previousKey?: string;
}

const maxRaces = 5;

function validImdbId(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed !== undefined && isImdbId(trimmed) ? trimmed : undefined;
}

export class MoviesRepository {
  private readonly movies: Collection<StoredMovie>;

  constructor(db: Db) {
    this.movies = db.collection<StoredMovie>(collectionNames.movies);
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
    });
    return this.upsert(write, input.film, input.now ?? new Date());
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
    });
    return this.upsert(write, film, now);
  }

  async get(key: string): Promise<StoredMovie | null> {
    return this.movies.findOne({ $or: [{ key }, { aliasKeys: key }] });
  }

  /** Notes an enrichment attempt, whatever its outcome, so the schedule can space them. */
  async markEnrichmentAttempt(key: string, now = new Date()): Promise<void> {
    await this.movies.updateOne({ key }, { $set: { lastEnrichmentAttempt: now } });
  }

  /** A curator's decision: sets the values and locks them (and the match) against enrichment. */
  async lockFields(key: string, values: { imdbId?: string; tmdbId?: number }, now = new Date()): Promise<StoredMovie | null> {
    const fields: LockableField[] = ['match', ...(values.imdbId === undefined ? [] : (['imdbId'] as const)), ...(values.tmdbId === undefined ? [] : (['tmdbId'] as const))];
    await this.movies.updateOne({ key }, { $set: { ...compact(values), updatedAt: now }, $addToSet: { locked: { $each: fields } } });
    return this.movies.findOne({ key });
  }

  /**
   * Minimal and stub movies due for enrichment at `now`, least recently tried first (never
   * tried before all). One range query per schedule band, merged in code.
   */
  async findForEnrichment(options: { now?: Date; limit?: number; schedule?: EnrichmentSchedule } = {}): Promise<StoredMovie[]> {
    const now = options.now ?? new Date();
    const limit = options.limit ?? 100;
    const schedule = options.schedule ?? defaultEnrichmentSchedule;
    const found: StoredMovie[] = [];
    let youngerThan = 0;
    for (const band of schedule) {
      const createdAt: Record<string, Date> = { $lte: new Date(now.getTime() - youngerThan) };
      if (Number.isFinite(band.maxAgeMs)) createdAt.$gt = new Date(now.getTime() - band.maxAgeMs);
      const dueBefore = new Date(now.getTime() - band.minIntervalMs);
      const filter: Filter<StoredMovie> = {
        needsEnrichment: true,
        locked: { $ne: 'match' },
        createdAt,
        $or: [{ lastEnrichmentAttempt: { $exists: false } }, { lastEnrichmentAttempt: { $lte: dueBefore } }],
      };
      found.push(...(await this.movies.find(filter).sort({ lastEnrichmentAttempt: 1, createdAt: 1 }).limit(limit).toArray()));
      youngerThan = band.maxAgeMs;
    }
    const lastTried = (m: StoredMovie): number => m.lastEnrichmentAttempt?.getTime() ?? Number.NEGATIVE_INFINITY;
    return found.sort((a, b) => lastTried(a) - lastTried(b) || a.createdAt.getTime() - b.createdAt.getTime()).slice(0, limit);
  }

  /** Stubs created before `cutoff` and still stubs (for review-queue escalation). */
  async findStubsCreatedBefore(cutoff: Date, limit = 1000): Promise<StoredMovie[]> {
    return this.movies.find({ importType: 'stub', createdAt: { $lte: cutoff } }).sort({ createdAt: 1 }).limit(limit).toArray();
  }

  private async upsert(input: MovieWrite, film: FilmRef, now: Date): Promise<UpsertResult> {
    const write = { ...input };
    for (let race = 0; race < maxRaces; race += 1) {
      // The first pass trusts the `_id` lookups; a unique-index conflict on insert sends the next pass to the full scan.
      const existing = await this.findExisting(write, film, race > 0);
      // A stored IMDb key wins; only a title key is replaced (by the IMDb key).
      const target: MovieWrite = existing !== null && (isImdbId(existing.key) || !isImdbId(write.key)) ? { ...write, key: existing.key } : write;
      if (existing !== null && existing.tmdbId !== undefined && target.tmdbId !== undefined && existing.tmdbId !== target.tmdbId) delete target.tmdbId;
      const merged = mergeMovie(existing, target, now);
      if (existing === null) {
        // `_id` is the key the movie is created with (see findExisting).
        const document = { _id: merged.document.key, ...merged.document } as StoredMovie;
        try {
          await this.movies.insertOne(document);
          return { created: true, upgraded: false, changed: true, document };
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          // Either another writer created this film (the next read finds it) or another film
          // already claims this TMDb ID: keep it in `data` only rather than fail forever.
          if (write.tmdbId !== undefined && (await this.movies.findOne({ tmdbId: write.tmdbId, imdbId: { $ne: write.imdbId } })) !== null) delete write.tmdbId;
          continue;
        }
      }
      if (!merged.changed) return { created: false, upgraded: false, changed: false, document: existing };
      const next = { ...merged.document, version: existing.version + 1 };
      const { _id: _ignored, ...replacement } = next as StoredMovie & { _id?: unknown };
      try {
        const replaced = await this.movies.replaceOne({ key: existing.key, version: existing.version }, replacement);
        if (replaced.matchedCount === 0) continue;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        continue;
      }
      const previousKey = existing.key !== next.key ? existing.key : undefined;
      return compact({ created: false, upgraded: merged.upgraded, changed: true, document: next, previousKey });
    }
    throw new FestivalResolverError('MONGO_UNAVAILABLE', `movie ${write.key} lost ${maxRaces} write races in a row`, { retryable: true });
  }

  /**
   * The stored movie this write is about: by key, by an earlier key, by IMDb ID, by TMDb ID
   * (unless that movie has another IMDb ID), or a title-keyed movie about to get its IMDb ID.
   */
  private async findExisting(write: MovieWrite, film: FilmRef, scan: boolean): Promise<StoredMovie | null> {
    // Fast path: a movie's `_id` is the key it was created with, and keys only ever change
    // from a title key to an IMDb key (which never changes again), so the document whose
    // `_id` is this key is the movie with this key or the one re-keyed from it — what the
    // $or below would pick first. FerretDB 1.24 answers a pure `_id` filter from its
    // primary key but scans the whole collection for the $or (seconds at 5,000 movies).
    // A miss (a new film, or a movie stored before `_id` was the key) takes the slow path.
    const byId = await this.movies.findOne({ _id: write.key } as never);
    const idCompatible = byId !== null && (write.imdbId === undefined || byId.imdbId === undefined || byId.imdbId === write.imdbId);
    if (byId !== null && idCompatible && (byId.key === write.key || byId.aliasKeys.includes(write.key))) return byId;
    const titleKey = filmKey({ title: film.title, year: film.year });
    if (!scan) {
      // A film first stored without its IMDb ID has `_id` = its title key. Anything else this
      // write could collide with (same IMDb or TMDb ID under another key) trips a unique index
      // on insert, and the retry then scans.
      if (titleKey === write.key) return null;
      const byTitle = await this.movies.findOne({ _id: titleKey } as never);
      const titleCompatible = byTitle !== null && (write.imdbId === undefined || byTitle.imdbId === undefined || byTitle.imdbId === write.imdbId);
      return titleCompatible ? byTitle : null;
    }
    const or: Filter<StoredMovie>[] = [{ key: write.key }, { aliasKeys: write.key }];
    if (write.imdbId !== undefined) or.push({ imdbId: write.imdbId });
    if (write.tmdbId !== undefined) or.push({ tmdbId: write.tmdbId });
    if (titleKey !== write.key) or.push({ key: titleKey });
    const candidates = await this.movies.find({ $or: or }).limit(10).toArray();
    const compatible = (m: StoredMovie): boolean => write.imdbId === undefined || m.imdbId === undefined || m.imdbId === write.imdbId;
    const pick = (test: (m: StoredMovie) => boolean): StoredMovie | undefined => candidates.find((m) => test(m) && compatible(m));
    return (
      pick((m) => m.key === write.key) ??
      pick((m) => m.aliasKeys.includes(write.key)) ??
      pick((m) => write.imdbId !== undefined && m.imdbId === write.imdbId) ??
      pick((m) => write.tmdbId !== undefined && m.tmdbId === write.tmdbId) ??
      pick((m) => m.key === titleKey) ??
      null
    );
  }
}
