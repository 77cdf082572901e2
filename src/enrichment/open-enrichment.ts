import type { Producer } from 'kafkajs';
import { sourceKeyVariables, type Config } from '../config.js';
import type { HealthState } from '../http/health-state.js';
import { createKafka } from '../kafka/client.js';
import { ensureServiceTopics, openEventPublisher, registeredCodec } from '../kafka/setup.js';
import type { Logger } from '../logger.js';
import type { ResolverMetrics } from '../metrics/metrics.js';
import { connectMongo } from '../mongo/connect.js';
import { ensureIndexes } from '../persistence/indexes.js';
import { MongoResolutionStore } from '../persistence/mongo-resolution-store.js';
import type { ResolutionChain } from '../resolver/chain.js';
import type { EventPublisher } from '../resolver/ports.js';
import { chainOnMongo } from '../service/resolver-chain.js';
import type { EnrichmentDeps } from './enrich-movie.js';

/** Enrichment deps that own their chain: call close() when done. */
export interface EnrichmentHandle {
  deps: EnrichmentDeps;
  close(): Promise<void>;
}

/**
 * Enrichment deps on parts someone else owns (the running service): its chain (so the same
 * budgets, rate limits and circuit breakers), its store and its event publisher.
 */
export function createEnrichmentDeps(
  config: Config,
  parts: {
    chain: ResolutionChain;
    store: MongoResolutionStore;
    events: EventPublisher;
    logger: Logger;
    metrics?: ResolverMetrics;
    health?: HealthState;
  },
): EnrichmentDeps {
  return {
    chain: parts.chain,
    store: parts.store,
    events: parts.events,
    logger: parts.logger,
    maxPerPass: config.enrichment.maxPerPass,
    keyVariables: sourceKeyVariables(config),
    ...(parts.metrics === undefined ? {} : { metrics: parts.metrics }),
    ...(parts.health === undefined ? {} : { health: parts.health }),
  };
}

/**
 * Enrichment deps for a one-off command (`festival-resolver enrich`, `review resolve`,
 * `console --enrich`): connects to MongoDB now and builds the process's one chain there, and
 * connects to Kafka only when the first event is published, so a pass that changes nothing
 * does not need the brokers.
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
    await ensureServiceTopics(kafka, config, logger);
    const codec = await registeredCodec(config, logger);
    const opened = await openEventPublisher(kafka, codec, config);
    producer = opened.producer;
    return opened.events;
  };
  const events: EventPublisher = {
    resolved: async (key, event) => (await (publisher ??= connectPublisher())).resolved(key, event),
    stub: async (key, event) => (await (publisher ??= connectPublisher())).stub(key, event),
  };
  try {
    await ensureIndexes(mongo.db);
    const built = chainOnMongo(config, {
      db: mongo.db,
      logger,
      ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    });
    const deps = createEnrichmentDeps(config, {
      chain: built.chain,
      store: new MongoResolutionStore(mongo.db),
      events,
      logger,
      ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    });
    return {
      deps,
      close: async () => {
        built.shutdown();
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
