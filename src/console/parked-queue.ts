import type { SourceName } from '../domain/movie.js';
import type { NominationsRepository } from '../persistence/nominations-repository.js';
import type { MoviesRepository } from '../persistence/movies-repository.js';
import { nextRedrive, type NextRedrive, type RedriveOutlook } from '../resolver/park-outlook.js';
import type { RedriveDeps } from '../resolver/park-redriver.js';
import type { ParkedGauge } from '../resolver/parked-gauge.js';
import type { ParkedNomination, ParkingPort } from '../resolver/ports.js';
import { replayParked } from '../ops/replay/replay-parked.js';

/**
 * Parked nominations in the review queue: what a curator sees of each (the film, the source
 * and its reason, since when, the attempts per tier, when the re-driver will send it back)
 * and the one action, "re-drive now", which is `replay-parked` for one nomination.
 */

/** What the console needs for the parked section; `republish` absent: nothing can be re-driven here. */
export interface ConsoleParkedDeps {
  parking: ParkingPort;
  republish?: RedriveDeps['republish'];
  /** The re-driver's view of a source, when one runs in this process (`run`). */
  outlook?: (source: SourceName) => RedriveOutlook | undefined;
  gauge?: ParkedGauge;
  /** The input topic a re-driven nomination goes back to. */
  topic: string;
  /** PARK_REDRIVE_INTERVAL, for the page when no re-driver runs here. */
  intervalMs: number;
}

/** One parked nomination as the console shows it. */
export interface ParkedCard {
  entry: Omit<ParkedNomination, 'key' | 'value'>;
  /** undefined: no re-driver in this process, or the source is not in its chain. */
  next?: NextRedrive;
  /** A re-driver runs in this process (it may still not look at this source: a disabled tier). */
  redriverHere: boolean;
}

export interface ParkedFilter {
  festival?: string;
  source?: SourceName;
}

/** Read at most this many (oldest first) to place each among its source's parked ones. */
const readLimit = 1000;

function withoutBytes({ key: _key, value: _value, ...entry }: ParkedNomination): ParkedCard['entry'] {
  return entry;
}

/** The parked nominations under a filter, oldest first, each with its next automatic re-drive. */
export async function loadParked(
  deps: ConsoleParkedDeps,
  filter: ParkedFilter,
  now: Date,
  limit: number,
): Promise<{ cards: ParkedCard[]; total: number }> {
  const [entries, counts] = await Promise.all([deps.parking.list({}, readLimit), deps.parking.counts()]);
  const positions = new Map<SourceName, number>();
  const oldest = new Map<SourceName, Date>();
  const cards: ParkedCard[] = [];
  for (const entry of entries) {
    const position = positions.get(entry.source) ?? 0;
    positions.set(entry.source, position + 1);
    if (!oldest.has(entry.source)) oldest.set(entry.source, entry.parkedAt);
    if (filter.source !== undefined && entry.source !== filter.source) continue;
    if (filter.festival !== undefined && entry.film?.festival !== filter.festival) continue;
    if (cards.length >= limit) continue;
    const outlook = deps.outlook?.(entry.source);
    cards.push({
      entry: withoutBytes(entry),
      redriverHere: deps.outlook !== undefined,
      ...(outlook === undefined
        ? {}
        : {
            next: nextRedrive(
              outlook,
              { position, oldestParkedAt: oldest.get(entry.source) ?? entry.parkedAt },
              now.getTime(),
            ),
          }),
    });
  }
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  return { cards, total };
}

/** What "re-drive now" did. */
export type RedriveResult =
  | { kind: 'redriven'; entry: ParkedCard['entry']; at: Date; topic: string }
  | { kind: 'not_parked'; nominationId: string };

/** Re-drives one parked nomination now, whatever its source's health: `replay-parked --nomination`. */
export async function redriveNow(deps: ConsoleParkedDeps, nominationId: string): Promise<RedriveResult> {
  if (deps.republish === undefined) throw new Error('no Kafka producer in this console');
  const at = new Date();
  const [entry] = await replayParked({ parking: deps.parking, republish: deps.republish }, { nominationId });
  await deps.gauge?.refresh();
  return entry === undefined
    ? { kind: 'not_parked', nominationId }
    : { kind: 'redriven', entry: withoutBytes(entry), at, topic: deps.topic };
}

/** Where a re-driven nomination is now. */
export type AfterRedrive =
  | { kind: 'waiting' }
  | { kind: 'recorded'; movieKey: string; importType?: string; sources: string[] }
  | { kind: 'parked_again'; reason: string; source: SourceName }
  | { kind: 'gave_up' };

/** How long the card keeps asking before it says the resolver has not recorded it yet. */
const followMs = 120_000;

/** What became of a nomination re-driven at `since` (epoch ms). */
export async function afterRedrive(
  deps: ConsoleParkedDeps,
  stores: { nominations?: Pick<NominationsRepository, 'get'>; movies: Pick<MoviesRepository, 'get'> },
  nominationId: string,
  since: number,
  now: Date,
): Promise<AfterRedrive> {
  const parked = await deps.parking.get(nominationId);
  if (parked !== null && parked.parkedAt.getTime() >= since)
    return { kind: 'parked_again', reason: parked.reason, source: parked.source };
  const recorded = await stores.nominations?.get(nominationId);
  // A second's slack: the resolver's clock stamps the record, the console's the re-drive.
  if (recorded && Math.max(recorded.createdAt.getTime(), recorded.updatedAt.getTime()) >= since - 1000) {
    const movie = await stores.movies.get(recorded.movieKey);
    return {
      kind: 'recorded',
      movieKey: recorded.movieKey,
      ...(movie === null ? {} : { importType: movie.importType }),
      sources: movie?.dataSourceHierarchy ?? [],
    };
  }
  return now.getTime() - since > followMs ? { kind: 'gave_up' } : { kind: 'waiting' };
}
