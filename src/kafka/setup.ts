import type { Kafka, Producer } from 'kafkajs';
import type { Config } from '../config.js';
import { FestivalResolverError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { EventPublisher } from '../resolver/ports.js';
import { AvroCodec, createSchemaRegistry } from './avro-codec.js';
import { kafkaEventPublisher } from './event-publisher.js';
import { createIdempotentProducer } from './producer.js';
import { ensureTopics, serviceTopics } from './topics.js';

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Creates the service's topics where missing; an unreachable cluster names KAFKA_BROKERS. */
export async function ensureServiceTopics(kafka: Kafka, config: Config, logger: Logger): Promise<void> {
  await ensureTopics(kafka, serviceTopics(config.kafka), logger).catch((error: unknown) => {
    throw new FestivalResolverError(
      'KAFKA_UNAVAILABLE',
      `Kafka at ${config.kafka.brokers.join(',')} is unreachable: ${describe(error)}; check KAFKA_BROKERS`,
      { cause: error },
    );
  });
}

/** The Avro codec with every topic's schema registered; a registry failure names SCHEMA_REGISTRY_URL. */
export async function registeredCodec(config: Config, logger: Logger): Promise<AvroCodec> {
  const codec = new AvroCodec(
    createSchemaRegistry(config.schemaRegistry),
    logger.child({ component: 'codec' }),
  );
  await codec.registerAll(config.kafka.topics).catch((error: unknown) => {
    if (!(error instanceof FestivalResolverError) || error.code !== 'SCHEMA_REGISTRY_ERROR') throw error;
    throw new FestivalResolverError(
      'SCHEMA_REGISTRY_ERROR',
      `${error.message}; check SCHEMA_REGISTRY_URL (${config.schemaRegistry.url})`,
      { cause: error },
    );
  });
  return codec;
}

/** A connected idempotent producer and the event publisher on it. */
export async function openEventPublisher(
  kafka: Kafka,
  codec: AvroCodec,
  config: Config,
): Promise<{ producer: Producer; events: EventPublisher }> {
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  return { producer, events: kafkaEventPublisher(producer, codec, config.kafka.topics) };
}
