import type { Kafka } from 'kafkajs';
import type { Nomination } from '../../domain/nomination.js';
import type { AvroCodec } from '../../kafka/avro-codec.js';
import { nominationKey } from '../../kafka/message-key.js';
import { createIdempotentProducer, sendEncoded } from '../../kafka/producer.js';

/**
 * Publishes a lineup to the nominations topic, as an upstream producer does: each
 * nomination Avro-encoded through the registry (the codec must have run registerAll) and
 * keyed by its film, sent in batches with acks from all in-sync replicas.
 */

/** What backfill() needs. */
export interface BackfillInput {
  kafka: Kafka;
  codec: AvroCodec;
  topic: string;
  nominations: readonly Nomination[];
  /** Messages per send (default 200). */
  batchSize?: number;
  onProgress?: (sent: number, total: number) => void;
}

/** What was sent. */
export interface BackfillSummary {
  topic: string;
  sent: number;
  elapsedMs: number;
  perSecond: number;
}

export async function backfill(input: BackfillInput): Promise<BackfillSummary> {
  const started = Date.now();
  const batchSize = input.batchSize ?? 200;
  const producer = createIdempotentProducer(input.kafka);
  await producer.connect();
  let sent = 0;
  try {
    for (let i = 0; i < input.nominations.length; i += batchSize) {
      const batch = input.nominations.slice(i, i + batchSize);
      const messages = await Promise.all(
        batch.map(async (n) => ({ key: nominationKey(n), value: await input.codec.encode('nomination', n) })),
      );
      await sendEncoded(producer, input.topic, messages);
      sent += batch.length;
      input.onProgress?.(sent, input.nominations.length);
    }
  } finally {
    await producer.disconnect();
  }
  const elapsedMs = Date.now() - started;
  return {
    topic: input.topic,
    sent,
    elapsedMs,
    perSecond: elapsedMs === 0 ? sent : Math.round((sent * 1000) / elapsedMs),
  };
}
