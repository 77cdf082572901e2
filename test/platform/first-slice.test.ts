import avro from 'avsc';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import type { Nomination } from '../../src/domain/nomination.js';
import { FestivalResolverError } from '../../src/errors.js';
import { AvroCodec, createSchemaRegistry, valueSubject } from '../../src/kafka/avro-codec.js';
import { createKafka } from '../../src/kafka/client.js';
import { nominationKey } from '../../src/kafka/message-key.js';
import { createIdempotentProducer, sendEncoded } from '../../src/kafka/producer.js';
import { loadSchema, type RawRecordSchema } from '../../src/kafka/schema-files.js';
import { ensureTopics, serviceTopics } from '../../src/kafka/topics.js';
import { createLogger } from '../../src/logger.js';
import { connectMongo } from '../../src/mongo/connect.js';
import { consumeN, testTopicNames } from '../helpers/kafka.js';
import { cannesNominations } from '../helpers/lineup.js';
import { uniqueDbName } from '../helpers/names.js';
import { testServices } from '../helpers/services.js';

// The first slice through the platform: a real nomination from the Cannes lineup goes
// through the real registry, the real broker and the real MongoDB-wire server.

const logger = createLogger('silent');

function testConfig(): Config {
  const services = testServices();
  const topics = testTopicNames('slice');
  return loadConfig({
    KAFKA_BROKERS: services.kafkaBrokers.join(','),
    SCHEMA_REGISTRY_URL: services.schemaRegistryUrl,
    MONGODB_URI: services.mongoUri,
    MONGODB_DATABASE: uniqueDbName('slice'),
    TOPIC_PARTITIONS: '3',
    TOPIC_NOMINATIONS: topics.nominations,
    TOPIC_RESOLVED: topics.resolved,
    TOPIC_STUB: topics.stub,
    TOPIC_RETRY: topics.retry,
    TOPIC_DLQ: topics.dlq,
  });
}

async function latestRegisteredId(subject: string): Promise<number> {
  const response = await fetch(
    `${testServices().schemaRegistryUrl}/subjects/${encodeURIComponent(subject)}/versions/latest`,
  );
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: number }).id;
}

async function versionsOf(subject: string): Promise<number[]> {
  const response = await fetch(
    `${testServices().schemaRegistryUrl}/subjects/${encodeURIComponent(subject)}/versions`,
  );
  return (await response.json()) as number[];
}

/** A nomination whose film has an original title with diacritics: the bytes must carry UTF-8 intact. */
function accentedNomination(): Nomination {
  const nominations = cannesNominations(2019);
  const found = nominations.find(
    (n) => n.film.originalTitle !== null && n.film.originalTitle.normalize('NFKD') !== n.film.originalTitle,
  );
  return { ...(found ?? nominations[0]!), people: ['jury'], critical: true };
}

describe('first slice: registry → Kafka → consumer → MongoDB', () => {
  it('when a Cannes nomination is produced through the registry, then it is consumed, decoded and stored in MongoDB unchanged', async () => {
    const config = testConfig();
    const kafka = createKafka(config.kafka, { logger });
    const created = await ensureTopics(kafka, serviceTopics(config.kafka), logger);
    onTestFinished(async () => {
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteTopics({ topics: created, timeout: 5000 }).catch(() => undefined);
      await admin.disconnect();
    });

    const codec = new AvroCodec(createSchemaRegistry(config.schemaRegistry), logger);
    await codec.registerAll(config.kafka.topics);
    const nomination = accentedNomination();

    // Confluent wire format, checked byte by byte and decoded without the library.
    const bytes = await codec.encode('nomination', nomination);
    const registeredId = await latestRegisteredId(valueSubject(config.kafka.topics.nominations));
    expect(bytes[0]).toBe(0);
    expect(bytes.readInt32BE(1)).toBe(registeredId);
    expect(
      avro.Type.forSchema(loadSchema('nomination') as avro.Schema).fromBuffer(bytes.subarray(5)),
    ).toEqual(nomination);

    const producer = createIdempotentProducer(kafka);
    await producer.connect();
    onTestFinished(() => producer.disconnect());
    await sendEncoded(producer, config.kafka.topics.nominations, [
      { key: nominationKey(nomination), value: bytes, headers: { 'x-producer': 'first-slice' } },
    ]);

    const [message] = await consumeN(kafka, config.kafka.topics.nominations, 1, 20_000);
    expect(message!.key?.toString()).toBe(nomination.film.imdbId);
    expect(message!.headers?.['x-producer']?.toString()).toBe('first-slice');
    const decoded = await codec.decode('nomination', message!.value);
    expect(decoded).toEqual(nomination);

    const mongo = await connectMongo(config.mongo, { serverSelectionTimeoutMS: 5000 });
    onTestFinished(async () => {
      await mongo.db.dropDatabase().catch(() => undefined);
      await mongo.close();
    });
    const nominations = mongo.db.collection<Nomination & { _id: string; partition: number; offset: string }>(
      'nominations',
    );
    await nominations.insertOne({
      _id: decoded.nominationId,
      ...decoded,
      partition: message!.partition,
      offset: message!.offset,
    });
    const stored = await nominations.findOne({ _id: nomination.nominationId });
    expect(stored).toEqual({
      _id: nomination.nominationId,
      ...nomination,
      partition: message!.partition,
      offset: message!.offset,
    });
  });
});

describe('schema evolution on the real registry', () => {
  function withField(base: RawRecordSchema, field: RawRecordSchema['fields'][number]): RawRecordSchema {
    return { ...base, fields: [...base.fields, field] };
  }

  it('when a new Nomination version adds a required field, then the registry refuses it and the codec says SCHEMA_INCOMPATIBLE', async () => {
    const { nominations } = testTopicNames('evolve');
    const subject = valueSubject(nominations);
    const codec = new AvroCodec(createSchemaRegistry({ url: testServices().schemaRegistryUrl }), logger);
    await codec.registerSchema(subject, loadSchema('nomination'));

    const incompatible = withField(loadSchema('nomination'), {
      name: 'venue',
      type: 'string',
      doc: 'Screening venue.',
    });
    const error: unknown = await codec.registerSchema(subject, incompatible).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FestivalResolverError);
    expect((error as FestivalResolverError).code).toBe('SCHEMA_INCOMPATIBLE');
    expect((error as FestivalResolverError).retryable).toBe(false);
    expect((error as Error).message).toContain(subject);
    expect(await versionsOf(subject)).toEqual([1]);
  });

  it('when a new version adds an optional field with a default, then it is accepted and old readers still decode its messages', async () => {
    const { nominations } = testTopicNames('evolve');
    const subject = valueSubject(nominations);
    const codec = new AvroCodec(createSchemaRegistry({ url: testServices().schemaRegistryUrl }), logger);
    const v1 = await codec.registerSchema(subject, loadSchema('nomination'));

    const compatible = withField(loadSchema('nomination'), {
      name: 'venue',
      type: ['null', 'string'],
      default: null,
      doc: 'Screening venue.',
    });
    const v2 = await codec.registerSchema(subject, compatible);
    expect(v2).not.toBe(v1);
    expect(await versionsOf(subject)).toEqual([1, 2]);

    // A producer on v2 writes the new field; our v1 reader resolves it away.
    const nomination = accentedNomination();
    const bytes = await codec.encodeWithId(v2, { ...nomination, venue: 'Grand Théâtre Lumière' });
    expect(bytes.readInt32BE(1)).toBe(v2);
    expect(await codec.decode('nomination', bytes)).toEqual(nomination);
  });
});
