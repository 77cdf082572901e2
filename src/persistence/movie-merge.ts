import { isDeepStrictEqual } from 'node:util';
import { compact } from '../domain/compact.js';
import type {
  ImportType,
  LockableField,
  MovieDocument,
  NormalizedMovie,
  SourceName,
} from '../domain/movie.js';

/**
 * How a new result is folded into a stored movie: pure code, so the rules can be read and
 * tested without a database.
 * - never downgrade: full > minimal > stub; a lower import type changes nothing;
 * - at the same import type the higher (or equal) confidence wins; a stub never replaces a stub;
 * - fields in `locked` are never overwritten, and a locked `match` freezes the record;
 * - a known IMDb or TMDb ID is never dropped;
 * - `dataSourceHierarchy` lists every source that contributed, first contribution first.
 */

/** A movie as stored: the domain document plus bookkeeping for optimistic writes and re-keying. */
export interface StoredMovie extends MovieDocument {
  /** Incremented on every write; updates are conditional on it. */
  version: number;
  /** Earlier keys (a title key before the IMDb ID was known). */
  aliasKeys: string[];
  /** When enrichment is next due (see enrichment-schedule.ts); set while needsEnrichment. */
  nextEnrichmentAt?: Date;
  /** The states of the movie announced on Kafka (announcements-repository.ts). */
  announcedStates?: string[];
}

/** What a write wants the movie to become. */
export interface MovieWrite {
  key: string;
  imdbId?: string;
  tmdbId?: number;
  title: string;
  originalTitle?: string;
  year?: number;
  data?: NormalizedMovie;
  importType: ImportType;
  confidence: number;
  sources: SourceName[];
  /**
   * Data fetched with a curator's locked IDs: passes the `match` lock (other locked fields
   * still hold) and replaces data that belongs to another film, even at a lower import type.
   */
  curated?: boolean;
}

export interface MergeResult {
  document: StoredMovie;
  changed: boolean;
  upgraded: boolean;
}

const rank: Record<ImportType, number> = { stub: 0, minimal: 1, full: 2 };

function newDocument(write: MovieWrite, now: Date): StoredMovie {
  return compact({
    key: write.key,
    imdbId: write.imdbId,
    tmdbId: write.tmdbId,
    title: write.title,
    originalTitle: write.originalTitle,
    year: write.year,
    data: write.data,
    importType: write.importType,
    needsEnrichment: write.importType !== 'full',
    nextEnrichmentAt: write.importType !== 'full' ? now : undefined,
    dataSourceHierarchy: [...new Set(write.sources)],
    confidence: write.confidence,
    locked: [],
    createdAt: now,
    updatedAt: now,
    version: 1,
    aliasKeys: [],
  });
}

function keep<K extends keyof StoredMovie>(
  locked: LockableField[],
  field: K & LockableField,
  existing: StoredMovie,
  incoming: StoredMovie[K],
): StoredMovie[K] {
  if (locked.includes(field)) return existing[field];
  return incoming ?? existing[field];
}

/** Adds IDs the stored movie lacks (and re-keys a title-keyed movie): never a downgrade, whatever the import type. */
function withIdentity(existing: StoredMovie, write: MovieWrite): StoredMovie {
  const locked = existing.locked;
  const rekey = existing.key !== write.key;
  return compact({
    ...existing,
    key: write.key,
    imdbId: existing.imdbId ?? (locked.includes('imdbId') ? undefined : write.imdbId),
    tmdbId: existing.tmdbId ?? (locked.includes('tmdbId') ? undefined : write.tmdbId),
    aliasKeys:
      rekey && !existing.aliasKeys.includes(existing.key)
        ? [...existing.aliasKeys, existing.key]
        : existing.aliasKeys,
  });
}

/** True when two sources' data share an IMDb or TMDb ID (and none contradicts). */
function sameFilm(a: NormalizedMovie, b: NormalizedMovie): boolean {
  const { imdbId: ai, tmdbId: at } = a.externalIds;
  const { imdbId: bi, tmdbId: bt } = b.externalIds;
  if (
    (ai !== undefined && bi !== undefined && ai !== bi) ||
    (at !== undefined && bt !== undefined && at !== bt)
  )
    return false;
  return (ai !== undefined && ai === bi) || (at !== undefined && at === bt);
}

const comparable = (m: StoredMovie): unknown => ({ ...m, updatedAt: undefined, version: undefined });

function result(existing: StoredMovie, candidate: StoredMovie, upgraded: boolean, now: Date): MergeResult {
  if (isDeepStrictEqual(comparable(candidate), comparable(existing)))
    return { document: existing, changed: false, upgraded: false };
  return { document: { ...candidate, updatedAt: now }, changed: true, upgraded };
}

/**
 * Folds `write` into `existing` (or creates the document); `changed` is false when nothing
 * would change. The caller chooses `write.key` (the stored key wins unless it is a title key
 * being replaced by an IMDb ID).
 */
export function mergeMovie(existing: StoredMovie | null, write: MovieWrite, now: Date): MergeResult {
  if (existing === null) return { document: newDocument(write, now), changed: true, upgraded: false };
  const locked = existing.locked;
  const curated = write.curated === true;
  if (locked.includes('match') && !curated) return { document: existing, changed: false, upgraded: false };
  const identified = withIdentity(existing, write);
  const from = rank[existing.importType];
  const to = rank[write.importType];
  // The curator's film replaces a wrong match's data outright (its import type included).
  const wrongData =
    curated &&
    existing.data !== undefined &&
    write.data !== undefined &&
    !sameFilm(existing.data, write.data);
  if (
    !wrongData &&
    (to < from ||
      (to === from && (write.importType === 'stub' || (!curated && write.confidence < existing.confidence))))
  ) {
    return result(existing, identified, false, now);
  }
  const data =
    write.data === undefined
      ? existing.data
      : locked.includes('directors') && existing.data !== undefined
        ? { ...write.data, directors: existing.data.directors }
        : write.data;
  const candidate: StoredMovie = compact({
    ...identified,
    imdbId: keep(locked, 'imdbId', identified, write.imdbId),
    // A wrong match's TMDb ID goes with its data unless the curator locked it.
    tmdbId:
      wrongData && !locked.includes('tmdbId')
        ? write.tmdbId
        : keep(locked, 'tmdbId', identified, write.tmdbId),
    title: keep(locked, 'title', identified, write.title),
    originalTitle: keep(locked, 'originalTitle', identified, write.originalTitle),
    year: keep(locked, 'year', identified, write.year),
    data,
    importType: write.importType,
    needsEnrichment: write.importType !== 'full',
    dataSourceHierarchy: [...new Set([...(wrongData ? [] : existing.dataSourceHierarchy), ...write.sources])],
    confidence: write.confidence,
  });
  return result(existing, candidate, to > from, now);
}
