import { Partitioners, type IHeaders, type Kafka, type Producer, type RecordMetadata } from 'kafkajs';
import { FestivalResolverError } from '../errors.js';

/** Producer options; `retries` bounds how long a send keeps trying before it fails. */
export interface IdempotentProducerOptions {
  retries?: number;
}

/**
 * An idempotent producer: the broker drops duplicates of a retried batch, and with one
 * request in flight the order of a key's messages is kept. kafkajs would retry an
 * idempotent send forever; we bound it (about two minutes by default) so that a lost
 * broker surfaces as KAFKA_UNAVAILABLE to the consumer entry point, which then does not
 * commit the offset. A resend after that may duplicate an event: consumers of our topics
 * deduplicate on nominationId / movieKey. kafkajs logs one warning about this at creation.
 * Callers connect and disconnect it (one per process, built in main.ts).
 */
export function createIdempotentProducer(kafka: Kafka, options: IdempotentProducerOptions = {}): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // Murmur2 like the Java client, so keys land where other producers put them (and no v2 warning).
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: options.retries ?? 15, initialRetryTime: 300, maxRetryTime: 10_000 },
  });
}

/** One already-encoded message. */
export interface OutgoingMessage {
  key: string;
  value: Buffer;
  headers?: Record<string, string>;
}

function toHeaders(headers: Record<string, string> | undefined): IHeaders | undefined {
  return headers === undefined ? undefined : { ...headers };
}

/** Sends encoded messages to one topic with `acks: -1` (all in-sync replicas). */
export async function sendEncoded(
  producer: Producer,
  topic: string,
  messages: readonly OutgoingMessage[],
): Promise<RecordMetadata[]> {
  if (messages.length === 0) return [];
  try {
    return await producer.send({
      topic,
      acks: -1,
      messages: messages.map((m) => ({ key: m.key, value: m.value, headers: toHeaders(m.headers) })),
    });
  } catch (error) {
    throw new FestivalResolverError(
      'KAFKA_UNAVAILABLE',
      `failed to produce ${messages.length} message(s) to ${topic}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}
