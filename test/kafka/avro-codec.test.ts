import { describe, expect, it } from 'vitest';
import { FestivalResolverError, InvalidMessageError } from '../../src/errors.js';
import { AvroCodec, createSchemaRegistry, readWireHeader, valueSubject } from '../../src/kafka/avro-codec.js';
import { loadSchema } from '../../src/kafka/schema-files.js';
import { createLogger } from '../../src/logger.js';
import type { MovieStubEvent } from '../../src/domain/movie-events.js';
import { cannesNominations } from '../helpers/lineup.js';
import { testServices } from '../helpers/services.js';
import { testTopicNames } from '../helpers/kafka.js';

const logger = createLogger('silent');

async function registeredCodec(): Promise<{ codec: AvroCodec; topics: ReturnType<typeof testTopicNames> }> {
  const topics = testTopicNames('codec');
  const codec = new AvroCodec(createSchemaRegistry({ url: testServices().schemaRegistryUrl }), logger);
  await codec.registerAll(topics);
  return { codec, topics };
}

async function rejection(promise: Promise<unknown>): Promise<FestivalResolverError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FestivalResolverError);
  return error as FestivalResolverError;
}

describe('wire header', () => {
  it('when bytes are too short, lack the magic byte or are a tombstone, then an InvalidMessageError says so', () => {
    expect(() => readWireHeader(Buffer.from([0, 0, 0]))).toThrow(InvalidMessageError);
    expect(() => readWireHeader(Buffer.from([0, 0, 0]))).toThrow(/too short/);
    expect(() => readWireHeader(Buffer.from('{"nominationId":"x"}'))).toThrow(/magic byte 0 \(got 123\)/);
    expect(() => readWireHeader(null)).toThrow(/tombstone/);
  });

  it('when bytes are in wire format, then the schema id is read big-endian', () => {
    expect(readWireHeader(Buffer.from([0, 0, 1, 0, 2, 9])).schemaId).toBe(65536 + 2);
  });
});

describe('AvroCodec on the real registry', () => {
  it('when a Cannes nomination is encoded and decoded, then it comes back equal', async () => {
    const { codec } = await registeredCodec();
    for (const nomination of cannesNominations(1994).slice(0, 5)) {
      const bytes = await codec.encode('nomination', nomination);
      expect(readWireHeader(bytes).schemaId).toBe(codec.schemaId('nomination'));
      expect(await codec.decode('nomination', bytes)).toEqual(nomination);
    }
  });

  it('when the service registers twice, then the ids are the same', async () => {
    const topics = testTopicNames('codec-twice');
    const registry = createSchemaRegistry({ url: testServices().schemaRegistryUrl });
    const first = await new AvroCodec(registry, logger).registerAll(topics);
    const second = await new AvroCodec(
      createSchemaRegistry({ url: testServices().schemaRegistryUrl }),
      logger,
    ).registerAll(topics);
    expect([...second.entries()]).toEqual([...first.entries()]);
  });

  it('when a movie.stub value is decoded as a nomination, then it is an InvalidMessageError, not a raw avsc error', async () => {
    const { codec } = await registeredCodec();
    const stub: MovieStubEvent = {
      movieKey: 'tt0000001',
      imdbId: 'tt0000001',
      title: 'X',
      year: null,
      reason: 'all_sources_missed',
      sourcesTried: ['tmdb'],
      nominationIds: ['n1'],
      festival: null,
      createdAt: 1,
      replacesKeys: [],
    };
    const bytes = await codec.encode('movieStub', stub);
    expect(await codec.decode('movieStub', bytes)).toEqual(stub);
    const error = await rejection(codec.decode('nomination', bytes));
    expect(error).toBeInstanceOf(InvalidMessageError);
    expect(error.message).toMatch(/does not decode as Nomination/);
  });

  it('when the Avro body is truncated or the schema id is unknown, then decoding fails as InvalidMessageError', async () => {
    const { codec } = await registeredCodec();
    const [nomination] = cannesNominations(2001);
    const bytes = await codec.encode('nomination', nomination!);
    const truncated = await rejection(codec.decode('nomination', bytes.subarray(0, bytes.length - 4)));
    expect(truncated).toBeInstanceOf(InvalidMessageError);

    const unknownId = Buffer.from(bytes);
    unknownId.writeInt32BE(2_000_000_000, 1);
    const unknown = await rejection(codec.decode('nomination', unknownId));
    expect(unknown).toBeInstanceOf(InvalidMessageError);
    expect(unknown.message).toMatch(/schema id 2000000000 is not known/);
  });

  it('when a value does not fit the schema, then encoding names the bad field', async () => {
    const { codec } = await registeredCodec();
    const [nomination] = cannesNominations(2001);
    const bad = { ...nomination!, editionYear: 'two thousand and one' as unknown as number };
    const error = await rejection(codec.encode('nomination', bad));
    expect(error).toBeInstanceOf(InvalidMessageError);
    expect(error.message).toContain('editionYear');
  });

  it('when the registry is unreachable, then registration fails as a retryable SCHEMA_REGISTRY_ERROR', async () => {
    const codec = new AvroCodec(createSchemaRegistry({ url: 'http://127.0.0.1:1' }), logger);
    const error = await rejection(
      codec.registerSchema(valueSubject('unreachable'), loadSchema('nomination')),
    );
    expect(error.code).toBe('SCHEMA_REGISTRY_ERROR');
    expect(error.retryable).toBe(true);
  });

  it('when the registry is unreachable while decoding an unseen id, then it is a retryable registry error, not a poisoned message', async () => {
    const { codec } = await registeredCodec();
    const [nomination] = cannesNominations(2001);
    const bytes = await codec.encode('nomination', nomination!);
    const offline = new AvroCodec(createSchemaRegistry({ url: 'http://127.0.0.1:1' }), logger);
    const error = await rejection(offline.decode('nomination', bytes));
    expect(error.code).toBe('SCHEMA_REGISTRY_ERROR');
    expect(error.retryable).toBe(true);
  });
});

describe('AvroCodec and subject compatibility settings', () => {
  it('when a subject was set to a compatibility level other than BACKWARD, then registration says so instead of a raw library error', async () => {
    const { nominations } = testTopicNames('codec-compat');
    const subject = valueSubject(nominations);
    const codec = new AvroCodec(createSchemaRegistry({ url: testServices().schemaRegistryUrl }), logger);
    await codec.registerSchema(subject, loadSchema('nomination'));
    const put = await fetch(`${testServices().schemaRegistryUrl}/config/${subject}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ compatibility: 'FULL' }),
    });
    expect(put.status).toBe(200);
    const error = await rejection(codec.registerSchema(subject, loadSchema('nomination')));
    expect(error.code).toBe('SCHEMA_INCOMPATIBLE');
    expect(error.message).toMatch(/other than BACKWARD/);
  });
});

describe('movie.resolved and movie.stub evolution: replacesKeys (one film, one movie)', () => {
  /** The schema as it was before `replacesKeys`: the field taken out. */
  function firstVersion(name: 'movieResolved' | 'movieStub') {
    const schema = loadSchema(name);
    return { ...schema, fields: schema.fields.filter((f) => f.name !== 'replacesKeys') };
  }

  it.each(['movieResolved', 'movieStub'] as const)(
    'when %s gains replacesKeys with a default, then the registry accepts it under BACKWARD and old and new readers decode each other',
    async (name) => {
      const { resolved } = testTopicNames('evolve-replaces');
      const subject = valueSubject(resolved);
      const registry = createSchemaRegistry({ url: testServices().schemaRegistryUrl });
      const codec = new AvroCodec(registry, logger);
      const v1 = await codec.registerSchema(subject, firstVersion(name));
      const v2 = await codec.registerSchema(subject, loadSchema(name));
      expect(v2).not.toBe(v1);
      const levels = await fetch(`${testServices().schemaRegistryUrl}/config`);
      expect(((await levels.json()) as { compatibilityLevel: string }).compatibilityLevel).toBe('BACKWARD');

      const base =
        name === 'movieResolved'
          ? {
              movieKey: 'tt14256034',
              imdbId: 'tt14256034',
              tmdbId: 723056,
              title: 'La chimera',
              originalTitle: null,
              year: 2023,
              importType: 'full',
              dataSourceHierarchy: ['tmdb'],
              confidence: 0.97,
              nominationIds: ['n1', 'n2'],
              festival: 'cannes_2023',
              resolvedAt: 1,
              upgradedFromStub: false,
            }
          : {
              movieKey: 'tt14256034',
              imdbId: 'tt14256034',
              title: 'La chimera',
              year: 2023,
              reason: 'all_sources_failed',
              sourcesTried: ['tmdb'],
              nominationIds: ['n1'],
              festival: null,
              createdAt: 1,
            };
      // An old producer's event reads with the default; a new one's is read by an old consumer without the field.
      const old = await codec.encodeWithId(v1, base);
      expect(await codec.decode(name, old)).toEqual({ ...base, replacesKeys: [] });
      const current = await codec.encodeWithId(v2, { ...base, replacesKeys: ['title:la chimera:2023'] });
      expect(await registry.decode(current, { AVRO: { readerSchema: firstVersion(name) } })).toEqual(base);
      expect(await codec.decode(name, current)).toEqual({ ...base, replacesKeys: ['title:la chimera:2023'] });
    },
  );
});
