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
 *
 * Two stored movies found to be one film (they share an IMDb or TMDb ID, one names the
 * other's key, or a stub carries a title the other was nominated under) are folded into one
 * by mergeStoredMovies; movie-merger.ts does the writes.
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
  /**
   * The title keys (`title:<normalised>:<year>`) of the nominations written into this movie:
   * a nomination of the same film without an IMDb ID (a stub, say) finds it by them.
   */
  titleKeys?: string[];
  /**
   * Keys this movie replaced (re-keyed or merged) that no event has named yet: the next
   * movie.resolved / movie.stub carries them in `replacesKeys`, then they are cleared.
   */
  replacesKeys?: string[];
  /**
   * A merge under way (movie-merger.ts): the merged movies' keys and the unique IDs this
   * movie takes over from them once they are deleted (a unique index lets only one
   * document hold an ID, so the survivor is written first without them).
   */
  merging?: PendingMerge;
}

/** What a survivor still has to finish of a merge (see movie-merger.ts). */
export interface PendingMerge {
  from: string[];
  imdbId?: string;
  tmdbId?: number;
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
  /** The title key of the nominated film, recorded in `titleKeys`. */
  titleKey?: string;
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
    titleKeys: write.titleKey === undefined ? undefined : [write.titleKey],
  });
}

function union<T>(...lists: (readonly T[] | undefined)[]): T[] {
  return [...new Set(lists.flatMap((l) => l ?? []))];
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

/**
 * Adds IDs the stored movie lacks (and re-keys a title-keyed movie, which then replaces its
 * old key): never a downgrade, whatever the import type.
 */
function withIdentity(existing: StoredMovie, write: MovieWrite): StoredMovie {
  const locked = existing.locked;
  const rekey = existing.key !== write.key;
  const titleKeys =
    write.titleKey === undefined || (existing.titleKeys ?? []).includes(write.titleKey)
      ? existing.titleKeys
      : union(existing.titleKeys, [write.titleKey]);
  return compact({
    ...existing,
    key: write.key,
    imdbId: existing.imdbId ?? (locked.includes('imdbId') ? undefined : write.imdbId),
    tmdbId: existing.tmdbId ?? (locked.includes('tmdbId') ? undefined : write.tmdbId),
    aliasKeys:
      rekey && !existing.aliasKeys.includes(existing.key)
        ? [...existing.aliasKeys, existing.key]
        : existing.aliasKeys,
    replacesKeys:
      rekey && !(existing.replacesKeys ?? []).includes(existing.key)
        ? union(existing.replacesKeys, [existing.key])
        : existing.replacesKeys,
    titleKeys,
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

/** A movie's IMDb and TMDb IDs: stored, being taken over in a merge, or only in its data. */
export function identityOf(m: StoredMovie): { imdbId?: string; tmdbId?: number } {
  return compact({
    imdbId: m.imdbId ?? m.merging?.imdbId ?? m.data?.externalIds.imdbId,
    tmdbId: m.tmdbId ?? m.merging?.tmdbId ?? m.data?.externalIds.tmdbId,
  });
}

/** True when two movies name different IMDb or TMDb IDs: two films, never merged. */
export function contradicts(a: StoredMovie, b: StoredMovie): boolean {
  const x = identityOf(a);
  const y = identityOf(b);
  return (
    (x.imdbId !== undefined && y.imdbId !== undefined && x.imdbId !== y.imdbId) ||
    (x.tmdbId !== undefined && y.tmdbId !== undefined && x.tmdbId !== y.tmdbId)
  );
}

const imdbKey = (key: string): boolean => /^tt\d{7,10}$/.test(key);

/**
 * Which of two movies of one film keeps its key: the IMDb-keyed one; between two title
 * keys the smaller one, so that the outcome does not depend on which was written first.
 */
export function survivorOf(a: StoredMovie, b: StoredMovie): [survivor: StoredMovie, loser: StoredMovie] {
  if (imdbKey(a.key) !== imdbKey(b.key)) return imdbKey(a.key) ? [a, b] : [b, a];
  return a.key <= b.key ? [a, b] : [b, a];
}

/** The better record of two: higher import type, then a curator's confirmed match, then higher confidence; the survivor on a tie. */
function betterOf(survivor: StoredMovie, loser: StoredMovie): StoredMovie {
  const byRank = rank[loser.importType] - rank[survivor.importType];
  if (byRank !== 0) return byRank > 0 ? loser : survivor;
  const lockedMatch = (m: StoredMovie): boolean => m.locked.includes('match');
  if (lockedMatch(survivor) !== lockedMatch(loser)) return lockedMatch(loser) ? loser : survivor;
  return loser.confidence > survivor.confidence ? loser : survivor;
}

const earliest = (...dates: (Date | undefined)[]): Date | undefined =>
  dates.filter((d): d is Date => d !== undefined).sort((x, y) => x.getTime() - y.getTime())[0];
const latest = (...dates: (Date | undefined)[]): Date | undefined =>
  dates.filter((d): d is Date => d !== undefined).sort((x, y) => y.getTime() - x.getTime())[0];

/**
 * One document from two movies of one film (the caller has checked that they do not
 * contradict each other and chosen the survivor with survivorOf). Pure: the rules are
 * - the survivor's key; the loser's key and aliases become aliases and are named as
 *   replaced by the next event; title keys are united;
 * - never a downgrade: the data, import type and confidence of the better record (higher
 *   import type, then a curator's confirmed match, then higher confidence, then the survivor);
 * - locks hold: the locks of both are kept; a field locked on one keeps that one's value
 *   (directors: its data's directors); locked on both, the survivor's value wins;
 * - both IDs are kept (they agree); every contributing source stays in the hierarchy;
 * - the earlier creation, the later enrichment attempt, the earlier due enrichment.
 * The survivor's announced states stay; the loser's were about another key.
 */
export function mergeStoredMovies(survivor: StoredMovie, loser: StoredMovie, now: Date): StoredMovie {
  const better = betterOf(survivor, loser);
  const other = better === survivor ? loser : survivor;
  const lockedBy = (field: LockableField): StoredMovie | undefined =>
    survivor.locked.includes(field) ? survivor : loser.locked.includes(field) ? loser : undefined;
  const value = <K extends 'title' | 'originalTitle' | 'year' | 'imdbId' | 'tmdbId'>(
    field: K,
  ): StoredMovie[K] => {
    const owner = lockedBy(field);
    if (owner !== undefined) return owner[field];
    return better[field] ?? other[field];
  };
  const directorsOwner = lockedBy('directors');
  const baseData = better.data ?? other.data;
  const data =
    baseData !== undefined && directorsOwner?.data !== undefined
      ? { ...baseData, directors: directorsOwner.data.directors }
      : baseData;
  const importType = better.importType;
  const needsEnrichment = importType !== 'full';
  const dropSelf = (keys: string[]): string[] => keys.filter((k) => k !== survivor.key);
  return compact({
    key: survivor.key,
    imdbId: value('imdbId'),
    tmdbId: value('tmdbId'),
    title: value('title'),
    originalTitle: value('originalTitle'),
    year: value('year'),
    data,
    importType,
    needsEnrichment,
    nextEnrichmentAt: needsEnrichment
      ? (earliest(survivor.nextEnrichmentAt, loser.nextEnrichmentAt) ?? now)
      : undefined,
    dataSourceHierarchy: union(better.dataSourceHierarchy, other.dataSourceHierarchy),
    confidence: better.confidence,
    locked: union(survivor.locked, loser.locked),
    lastEnrichmentAttempt: latest(survivor.lastEnrichmentAttempt, loser.lastEnrichmentAttempt),
    createdAt: earliest(survivor.createdAt, loser.createdAt) ?? now,
    updatedAt: now,
    version: survivor.version,
    aliasKeys: dropSelf(union(survivor.aliasKeys, [loser.key], loser.aliasKeys)),
    titleKeys: union(survivor.titleKeys, loser.titleKeys),
    replacesKeys: dropSelf(union(survivor.replacesKeys, [loser.key], loser.replacesKeys)),
    announcedStates: survivor.announcedStates,
    merging: survivor.merging,
  });
}
