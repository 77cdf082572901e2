import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Config } from '../config.js';
import { FestivalResolverError, InvalidMessageError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Nomination } from '../domain/nomination.js';
import type { MovieResolvedEvent, MovieStubEvent } from '../domain/movie-events.js';
import { loadSchema, type RawRecordSchema, type SchemaName } from './schema-files.js';

/** The value type carried by each schema. */
export interface SchemaValues {
  nomination: Nomination;
  movieResolved: MovieResolvedEvent;
  movieStub: MovieStubEvent;
}

/** Confluent wire format: magic byte 0, 4-byte big-endian schema id, Avro body. */
const wireHeaderLength = 5;

/** The value subject of a topic under TopicNameStrategy. */
export function valueSubject(topic: string): string {
  return `${topic}-value`;
}

/** Which schema is registered for which topic; the retry topic carries nominations too. */
function topicSchemas(topics: Config['kafka']['topics']): { topic: string; schema: SchemaName }[] {
  return [
    { topic: topics.nominations, schema: 'nomination' },
    { topic: topics.retry, schema: 'nomination' },
    { topic: topics.resolved, schema: 'movieResolved' },
    { topic: topics.stub, schema: 'movieStub' },
  ];
}

/**
 * Builds the registry client. The library retries 5xx itself (a few times only); the
 * timeout stops a registry that accepts connections but never answers from stalling a
 * consumer forever (its HTTP layer has none by default).
 */
export function createSchemaRegistry(
  config: Config['schemaRegistry'],
  options: { clientId?: string; timeoutMs?: number } = {},
): SchemaRegistry {
  const timeout = options.timeoutMs ?? 10_000;
  return new SchemaRegistry({
    host: config.url,
    clientId: options.clientId ?? 'festival-resolver',
    retry: { retries: 2, maxRetryTimeInSecs: 3 },
    middlewares: [
      () => ({ prepareRequest: (next) => next().then((request) => request.enhance({ timeout })) }),
    ],
  });
}

// The library's HTTP layer reports a refused connection or a timeout as "status 400" with
// the socket error as message: that is the registry being away, not a bad request.
const networkFailure =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|socket hang up|Timeout \(/;

function httpStatus(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number') {
    if (error.status === 400 && error instanceof Error && networkFailure.test(error.message))
      return undefined;
    return error.status;
  }
  return undefined;
}

function isResponseError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ResponseError';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Maps a registry failure during registration to our closed set of errors. */
function registrationError(subject: string, error: unknown): FestivalResolverError {
  const status = httpStatus(error);
  const name = error instanceof Error ? error.name : '';
  if (name === 'ConfluentSchemaRegistryCompatibilityError') {
    // The library registers with BACKWARD and refuses a subject configured otherwise.
    return new FestivalResolverError(
      'SCHEMA_INCOMPATIBLE',
      `subject ${subject} has a compatibility level other than BACKWARD, which the service registers with; set it back with PUT /config/${subject} (${messageOf(error)})`,
      { cause: error },
    );
  }
  if (status === 409) {
    return new FestivalResolverError(
      'SCHEMA_INCOMPATIBLE',
      `schema registry refused the schema for subject ${subject}: it is not compatible with the registered versions (${messageOf(error)})`,
      { cause: error },
    );
  }
  if (status === 422 || name === 'ConfluentSchemaRegistryInvalidSchemaError') {
    return new FestivalResolverError(
      'SCHEMA_INCOMPATIBLE',
      `schema registry rejected the schema for subject ${subject} as invalid (${messageOf(error)})`,
      { cause: error },
    );
  }
  // Only the registry being away or unwell is worth retrying; anything else is a bug here.
  const retryable = isResponseError(error) && (status === undefined || status >= 500 || status === 429);
  const via = !isResponseError(error) ? '' : status === undefined ? ' (unreachable)' : ` (HTTP ${status})`;
  return new FestivalResolverError(
    'SCHEMA_REGISTRY_ERROR',
    `schema registry failed to register subject ${subject}${via}: ${messageOf(error)}`,
    { cause: error, retryable },
  );
}

/** Checks the Confluent header before the library sees the bytes (it would throw a RangeError). */
export function readWireHeader(buffer: Buffer | null): { schemaId: number; body: Buffer } {
  if (buffer === null) throw new InvalidMessageError('message has no value (tombstone)');
  if (buffer.length < wireHeaderLength + 1)
    throw new InvalidMessageError(
      `value is ${buffer.length} bytes, too short for the Confluent wire format (magic byte, 4-byte schema id, Avro body)`,
    );
  if (buffer[0] !== 0)
    throw new InvalidMessageError(
      `value does not start with the Confluent magic byte 0 (got ${buffer[0]}): not produced through the schema registry`,
    );
  return { schemaId: buffer.readInt32BE(1), body: buffer.subarray(wireHeaderLength) };
}

/**
 * Encodes and decodes event values through a Confluent-compatible schema registry. Every
 * failure comes out as InvalidMessageError (the bytes can never be decoded: dead-letter),
 * SCHEMA_INCOMPATIBLE (a deploy problem: stop) or SCHEMA_REGISTRY_ERROR (the registry is
 * unwell: retry), never as a raw library error.
 */
export class AvroCodec {
  private readonly ids = new Map<SchemaName, number>();
  private readonly readers = new Map<SchemaName, RawRecordSchema>();

  constructor(
    private readonly registry: SchemaRegistry,
    private readonly logger: Logger,
  ) {}

  /** Registers the service's schemas under `<topic>-value` subjects: call once at start-up. */
  async registerAll(topics: Config['kafka']['topics']): Promise<Map<SchemaName, number>> {
    for (const { topic, schema } of topicSchemas(topics)) {
      const id = await this.registerSchema(valueSubject(topic), loadSchema(schema));
      // The id of the main topic's subject is the one used to encode.
      if (!this.ids.has(schema)) this.ids.set(schema, id);
      this.readers.set(schema, loadSchema(schema));
    }
    return new Map(this.ids);
  }

  /** Registers one schema under a subject (idempotent for an identical schema); returns its id. */
  async registerSchema(subject: string, schema: RawRecordSchema): Promise<number> {
    try {
      const { id } = await this.registry.register(schema, { subject });
      this.logger.info({ subject, schemaId: id, schemaName: schema.name }, 'registered schema');
      return id;
    } catch (error) {
      throw registrationError(subject, error);
    }
  }

  /** The registered id used to encode values of a schema. */
  schemaId(name: SchemaName): number {
    const id = this.ids.get(name);
    if (id === undefined) throw new Error(`schema ${name} is not registered: call registerAll() at start-up`);
    return id;
  }

  /** Encodes a value with the registered schema id into Confluent wire format. */
  async encode<N extends SchemaName>(name: N, value: SchemaValues[N]): Promise<Buffer> {
    return this.encodeWithId(this.schemaId(name), value);
  }

  /** Encodes with an explicit registered id (for subjects other than the service's own). */
  async encodeWithId(schemaId: number, value: unknown): Promise<Buffer> {
    try {
      return await this.registry.encode(schemaId, value);
    } catch (error) {
      if (isResponseError(error) && httpStatus(error) !== 404) throw this.registryError(schemaId, error);
      const paths =
        typeof error === 'object' && error !== null && 'paths' in error && Array.isArray(error.paths)
          ? (error.paths as string[][]).map((p) => p.join('.'))
          : [];
      throw new InvalidMessageError(
        `value does not match schema id ${schemaId}${paths.length > 0 ? ` at ${paths.join(', ')}` : ''}: ${messageOf(error)}`,
        { cause: error },
      );
    }
  }

  /**
   * Decodes a Confluent wire-format value into the shape of our own schema `name`
   * (Avro schema resolution from the writer's registered version to ours).
   */
  async decode<N extends SchemaName>(name: N, buffer: Buffer | null): Promise<SchemaValues[N]> {
    const { schemaId } = readWireHeader(buffer);
    const readerSchema = this.readers.get(name) ?? loadSchema(name);
    try {
      return (await this.registry.decode(buffer as Buffer, { AVRO: { readerSchema } })) as SchemaValues[N];
    } catch (error) {
      const status = httpStatus(error);
      if (status === 404)
        throw new InvalidMessageError(`schema id ${schemaId} is not known to the schema registry`, {
          cause: error,
        });
      if (isResponseError(error)) throw this.registryError(schemaId, error);
      throw new InvalidMessageError(
        `value with schema id ${schemaId} does not decode as ${readerSchema.name}: ${messageOf(error)}`,
        { cause: error },
      );
    }
  }

  private registryError(schemaId: number, error: unknown): FestivalResolverError {
    const status = httpStatus(error);
    const via = status === undefined ? 'unreachable' : `HTTP ${status}`;
    return new FestivalResolverError(
      'SCHEMA_REGISTRY_ERROR',
      `schema registry failed while fetching schema id ${schemaId} (${via}): ${messageOf(error)}`,
      { cause: error, retryable: status === undefined || status >= 500 || status === 429 },
    );
  }
}
