import type { Producer } from 'kafkajs';
import type { Db } from 'mongodb';
import { sourceKeyVariables, type Config } from '../config.js';
import type { HealthState } from '../http/health-state.js';
import { AvroCodec, createSchemaRegistry } from '../kafka/avro-codec.js';
import { createKafka } from '../kafka/client.js';
import { createIdempotentProducer } from '../kafka/producer.js';
import { ensureTopics, serviceTopics } from '../kafka/topics.js';
import type { Logger } from '../logger.js';
import type { ResolverMetrics } from '../metrics/metrics.js';
import { connectMongo } from '../mongo/connect.js';
import { ensureIndexes } from '../persistence/indexes.js';
import { MongoResolutionStore } from '../persistence/mongo-resolution-store.js';
import { buildChain } from '../resolver/build-chain.js';
import { kafkaEventPublisher } from '../resolver/kafka-event-publisher.js';
import type { EventPublisher } from '../resolver/nomination-processor.js';
import type { EnrichmentDeps } from './enrich-movie.js';

/** Enrichment deps that own their chain: call close() when done. */
export interface EnrichmentHandle {
  deps: EnrichmentDeps;
  close(): Promise<void>;
}

/**
 * Enrichment deps on clients someone else owns (the running service): a chain of its own
 * that rechecks remembered misses, on the same sources, budget ledger and rate limits.
 */
export function createEnrichmentDeps(
  config: Config,
  parts: {
    db: Db;
    store?: MongoResolutionStore;
    events: EventPublisher;
    logger: Logger;
    metrics?: ResolverMetrics;
    health?: HealthState;
  },
): EnrichmentHandle {
  const built = buildChain(config, {
    db: parts.db,
    logger: parts.logger,
    ...(parts.metrics === undefined ? {} : { metrics: parts.metrics }),
    cachedMisses: 'recheck',
  });
  const deps: EnrichmentDeps = {
    chain: built.chain,
    store: parts.store ?? new MongoResolutionStore(parts.db),
    events: parts.events,
    logger: parts.logger,
    maxPerPass: config.enrichment.maxPerPass,
    keyVariables: sourceKeyVariables(config),
    ...(parts.metrics === undefined ? {} : { metrics: parts.metrics }),
    ...(parts.health === undefined ? {} : { health: parts.health }),
  };
  return { deps, close: () => Promise.resolve(built.shutdown()) };
}

/**
 * Enrichment deps for a one-off command (`festival-resolver enrich`, `review resolve`): connects
 * to MongoDB now and to Kafka only when the first event is published, so a pass that changes
 * nothing does not need the brokers.
 */
export async function openEnrichment(
  config: Config,
  options: { logger: Logger; metrics?: ResolverMetrics },
): Promise<EnrichmentHandle> {
  const { logger } = options;
  const mongo = await connectMongo(config.mongo);
  let producer: Producer | undefined;
  let publisher: Promise<EventPublisher> | undefined;
  const connectPublisher = async (): Promise<EventPublisher> => {
    const kafka = createKafka(config.kafka, { logger });
    await ensureTopics(kafka, serviceTopics(config.kafka), logger);
    const codec = new AvroCodec(
      createSchemaRegistry(config.schemaRegistry),
      logger.child({ component: 'codec' }),
    );
    await codec.registerAll(config.kafka.topics);
    producer = createIdempotentProducer(kafka);
    await producer.connect();
    return kafkaEventPublisher(producer, codec, config.kafka.topics);
  };
  const events: EventPublisher = {
    resolved: async (key, event) => (await (publisher ??= connectPublisher())).resolved(key, event),
    stub: async (key, event) => (await (publisher ??= connectPublisher())).stub(key, event),
  };
  try {
    await ensureIndexes(mongo.db);
    const handle = createEnrichmentDeps(config, {
      db: mongo.db,
      events,
      logger,
      ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    });
    return {
      deps: handle.deps,
      close: async () => {
        await handle.close();
        await producer
          ?.disconnect()
          .catch((err: unknown) => logger.warn({ err }, 'producer disconnect failed'));
        await mongo.close();
      },
    };
  } catch (error) {
    await mongo.close();
    throw error;
  }
}
