import type { Kafka, Producer } from 'kafkajs';
import { createIdempotentProducer } from '../../kafka/producer.js';
import type { SourceName } from '../../domain/movie.js';
import { redriveParked, type RedriveDeps } from '../../resolver/park-redriver.js';
import type { ParkedNomination } from '../../resolver/ports.js';

/** Which parked nominations to replay: one by id, or every one of some sources. */
export type ParkedSelection =
  { nominationId: string; dryRun?: boolean } | { sources: readonly SourceName[]; dryRun?: boolean };

/**
 * `festival-resolver replay-parked` and the console's "re-drive now": the chosen parked
 * nominations go back to the input topic now, whatever the health of their source, through
 * the re-driver's own step (redriveParked). Returns what was (or, dry, would be) replayed.
 */
export async function replayParked(
  deps: RedriveDeps,
  selection: ParkedSelection,
): Promise<ParkedNomination[]> {
  const chosen =
    'nominationId' in selection
      ? [await deps.parking.get(selection.nominationId)].filter((e): e is ParkedNomination => e !== null)
      : (
          await Promise.all(
            selection.sources.map((source) => deps.parking.list({ source }, Number.MAX_SAFE_INTEGER)),
          )
        ).flat();
  if (selection.dryRun !== true) for (const entry of chosen) await redriveParked(deps, entry);
  return chosen;
}

/** Re-publishing to the input topic on a connected producer, acknowledged by every in-sync replica. */
export function republishTo(producer: Pick<Producer, 'send'>, topic: string): RedriveDeps['republish'] {
  return async (key, value) => {
    await producer.send({ topic, acks: -1, messages: [{ key, value }] });
  };
}

/**
 * A producer connected on the first re-drive only (the console without a resolver: most
 * sessions never re-drive, and need no Kafka); close() disconnects it if it was connected.
 */
export function lazyRepublisher(
  kafka: Kafka,
  topic: string,
): { republish: RedriveDeps['republish']; close(): Promise<void> } {
  let connected: Promise<Producer> | undefined;
  return {
    republish: async (key, value) => {
      connected ??= (async () => {
        const producer = createIdempotentProducer(kafka);
        await producer.connect();
        return producer;
      })().catch((error: unknown) => {
        connected = undefined;
        throw error;
      });
      await republishTo(await connected, topic)(key, value);
    },
    close: async () => {
      const producer = await connected?.catch(() => undefined);
      await producer?.disconnect();
    },
  };
}
