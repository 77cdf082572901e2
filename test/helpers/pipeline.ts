import type { Admin, Kafka, Producer } from 'kafkajs';
import type { Db, MongoClient } from 'mongodb';
import { MongoClient as Client } from 'mongodb';
import { Registry } from 'prom-client';
import { onTestFinished } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import type { Nomination } from '../../src/domain/nomination.js';
import { AvroCodec, createSchemaRegistry, valueSubject } from '../../src/kafka/avro-codec.js';
import { createIdempotentProducer, sendEncoded } from '../../src/kafka/producer.js';
import { nominationKey } from '../../src/kafka/message-key.js';
import { ensureTopics, serviceTopics } from '../../src/kafka/topics.js';
import { createLogger } from '../../src/logger.js';
import { startService, type Service } from '../../src/main.js';
import type { World } from '../../src/twin/world.js';
import type { TwinOptionsInput } from '../../src/twin/options.js';
import { adminForTest, deleteSubject, kafkaForTest } from './kafka.js';
import { uniqueDbName, uniqueName } from './names.js';
import { testServices } from './services.js';
import { startTestTwin, type TestTwin } from './twin.js';

/**
 * A whole resolver for one test: its own topics, consumer group and database on the real
 * Kafka, MongoDB-wire server and registry, sources pointed at a twin. Everything it makes is
 * removed when the test ends.
 */
export interface TestPipeline {
  config: Config;
  env: Record<string, string>;
  twin: TestTwin;
  kafka: Kafka;
  admin: Admin;
  db: Db;
  mongo: MongoClient;
  codec: AvroCodec;
  /** Starts one more resolver instance in the same group (started ones stop at test end). */
  startInstance(overrides?: Record<string, string>, options?: { opsServer?: boolean }): Promise<Service>;
  publish(nominations: readonly Nomination[]): Promise<void>;
  publishRaw(messages: { key: string; value: Buffer | null }[]): Promise<void>;
  /** Polls until `check` is true, failing with `what` after the timeout (never hangs). */
  waitFor(what: string, check: () => Promise<boolean>, timeoutMs?: number): Promise<void>;
}

export async function startPipeline(init: {
  world: World;
  twinOptions?: TwinOptionsInput;
  env?: Record<string, string>;
}): Promise<TestPipeline> {
  const services = testServices();
  const twin = await startTestTwin({
    world: init.world,
    ...(init.twinOptions ? { options: init.twinOptions } : {}),
  });
  const prefix = uniqueName('pipe');
  const env: Record<string, string> = {
    KAFKA_BROKERS: services.kafkaBrokers.join(','),
    SCHEMA_REGISTRY_URL: services.schemaRegistryUrl,
    MONGODB_URI: services.mongoUri,
    MONGODB_DATABASE: uniqueDbName('pipe'),
    KAFKA_GROUP_ID: `${prefix}-group`,
    KAFKA_CLIENT_ID: prefix,
    TOPIC_NOMINATIONS: `${prefix}.nominations`,
    TOPIC_RESOLVED: `${prefix}.movie.resolved`,
    TOPIC_STUB: `${prefix}.movie.stub`,
    TOPIC_RETRY: `${prefix}.nominations.retry`,
    TOPIC_DLQ: `${prefix}.nominations.dlq`,
    TOPIC_PARTITIONS: '3',
    HTTP_PORT: '0',
    CONSOLE_PORT: '0',
    LOG_LEVEL: process.env.PIPELINE_LOG_LEVEL ?? 'silent',
    TMDB_BASE_URL: twin.urls.tmdb,
    TMDB_READ_TOKEN: twin.keys.tmdbToken,
    OMDB_BASE_URL: twin.urls.omdb,
    OMDB_API_KEY: twin.keys.omdbKey,
    ZYTE_BASE_URL: twin.urls.zyte,
    ZYTE_API_KEY: twin.keys.zyteKey,
    SOURCE_TIMEOUT_MS: '3000',
    RETRY_BASE_DELAY_MS: '300',
    ...init.env,
  };
  const config = loadConfig(env);
  const kafka = kafkaForTest(prefix);
  const admin = await adminForTest(kafka);
  const mongo = new Client(services.mongoUri, { serverSelectionTimeoutMS: 5000 });
  await mongo.connect();
  const db = mongo.db(config.mongo.database);
  const codec = new AvroCodec(createSchemaRegistry(config.schemaRegistry), createLogger('silent'));
  const instances: Service[] = [];
  let producer: Producer | undefined;

  onTestFinished(async () => {
    for (const instance of instances) await instance.stop().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
    const topics = Object.values(config.kafka.topics);
    await admin.deleteTopics({ topics, timeout: 10_000 }).catch(() => undefined);
    await admin.disconnect();
    for (const topic of topics) await deleteSubject(valueSubject(topic)).catch(() => undefined);
    await db.dropDatabase().catch(() => undefined);
    await mongo.close();
  });

  const startInstance = async (
    overrides: Record<string, string> = {},
    options: { opsServer?: boolean } = {},
  ) => {
    const instanceConfig =
      Object.keys(overrides).length === 0 ? config : loadConfig({ ...env, ...overrides });
    const service = await startService(instanceConfig, {
      logger: createLogger(instanceConfig.logLevel),
      registry: new Registry(),
      opsServer: options.opsServer ?? false,
    });
    instances.push(service);
    return service;
  };

  const ensureProducer = async () => {
    if (producer === undefined) {
      await ensureTopics(kafka, serviceTopics(config.kafka), createLogger('silent'));
      producer = createIdempotentProducer(kafka);
      await producer.connect();
      await codec.registerAll(config.kafka.topics);
    }
    return producer;
  };

  return {
    config,
    env,
    twin,
    kafka,
    admin,
    db,
    mongo,
    codec,
    startInstance,
    async publish(nominations) {
      const p = await ensureProducer();
      const messages = await Promise.all(
        nominations.map(async (n) => ({ key: nominationKey(n), value: await codec.encode('nomination', n) })),
      );
      for (let i = 0; i < messages.length; i += 500)
        await sendEncoded(p, config.kafka.topics.nominations, messages.slice(i, i + 500));
    },
    async publishRaw(messages) {
      const p = await ensureProducer();
      await p.send({ topic: config.kafka.topics.nominations, acks: -1, messages });
    },
    async waitFor(what, check, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    },
  };
}
