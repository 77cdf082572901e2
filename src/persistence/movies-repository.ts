import type { Collection, Db, Filter } from 'mongodb';
import { filmKey, type FilmKeyInput } from '../domain/film-key.js';
import type { LockableField, NormalizedMovie, SourceName } from '../domain/movie.js';
import { isImdbId } from '../domain/nomination.js';
import { FestivalResolverError } from '../errors.js';
import { collectionNames } from './collections.js';
import { defaultEnrichmentSchedule, nextAttemptAt, type EnrichmentSchedule } from './enrichment-schedule.js';
import { compact } from '../domain/compact.js';
import { mergeMovie, type MovieWrite, type StoredMovie } from './movie-merge.js';
import { isDuplicateKeyError } from './mongo-errors.js';

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
  async markEnrichmentAttempt(
    key: string,
    now = new Date(),
    schedule: EnrichmentSchedule = defaultEnrichmentSchedule,
  ): Promise<void> {
    const movie = await this.movies.findOne({ key }, { projection: { createdAt: 1 } });
    if (movie === null) return;
    await this.movies.updateOne(
      { key },
      {
        $set: { lastEnrichmentAttempt: now, nextEnrichmentAt: nextAttemptAt(movie.createdAt, now, schedule) },
      },
    );
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

  /**
   * Minimal and stub movies due for enrichment at `now`, least recently tried first (never
   * tried before all): one range query on the `enrichment` index. A movie stored before
   * `nextEnrichmentAt` existed is due.
   */
  async findForEnrichment(options: { now?: Date; limit?: number } = {}): Promise<StoredMovie[]> {
    const now = options.now ?? new Date();
    const filter: Filter<StoredMovie> = {
      needsEnrichment: true,
      locked: { $ne: 'match' },
      $or: [{ nextEnrichmentAt: { $lte: now } }, { nextEnrichmentAt: { $exists: false } }],
    };
    return this.movies
      .find(filter)
      .sort({ lastEnrichmentAttempt: 1, createdAt: 1 })
      .limit(options.limit ?? 100)
      .toArray();
  }

  /** Stubs created before `cutoff` and still stubs (for review-queue escalation). */
  async findStubsCreatedBefore(cutoff: Date, limit = 1000): Promise<StoredMovie[]> {
    return this.movies
      .find({ importType: 'stub', createdAt: { $lte: cutoff } })
      .sort({ createdAt: 1 })
      .limit(limit)
      .toArray();
  }

  private async upsert(input: MovieWrite, film: FilmRef, now: Date): Promise<UpsertResult> {
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
          return { created: true, upgraded: false, changed: true, document };
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          // Either another writer created this film (the next read finds it) or another film
          // already claims this TMDb ID: keep it in `data` only rather than fail forever.
          if (
            write.tmdbId !== undefined &&
            (await this.movies.findOne({ tmdbId: write.tmdbId, imdbId: { $ne: write.imdbId } })) !== null
          )
            delete write.tmdbId;
          continue;
        }
      }
      if (!merged.changed) return { created: false, upgraded: false, changed: false, document: existing };
      const next = { ...merged.document, version: existing.version + 1 };
      const replacement = next;
      try {
        const replaced = await this.movies.replaceOne(
          { key: existing.key, version: existing.version },
          replacement,
        );
        if (replaced.matchedCount === 0) continue;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        continue;
      }
      const previousKey = existing.key !== next.key ? existing.key : undefined;
      return compact({
        created: false,
        upgraded: merged.upgraded,
        changed: true,
        document: next,
        previousKey,
      });
    }
    throw new FestivalResolverError(
      'MONGO_UNAVAILABLE',
      `movie ${write.key} lost ${maxRaces} write races in a row`,
      { retryable: true },
    );
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
    const candidates = await this.movies
      .find({ $or: or }, { projection: { _id: 0 } })
      .limit(10)
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
      null
    );
  }
}
