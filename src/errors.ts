/**
 * The closed set of errors the service raises (each one is thrown somewhere). Upstream
 * lookups do not throw: their failures are outcomes as data (src/sources/outcome.ts) that
 * the chain turns into the consumer's Disposition. `retryable` is read by the consumer entry
 * point: a retryable error thrown while handling a message (Kafka, MongoDB or the registry
 * briefly gone) leaves it uncommitted to be delivered again; any other is dead-lettered
 * with its code.
 */
const errorCodes = {
  CONFIG_INVALID: { retryable: false },
  INVALID_MESSAGE: { retryable: false },
  SCHEMA_REGISTRY_ERROR: { retryable: true },
  SCHEMA_INCOMPATIBLE: { retryable: false },
  KAFKA_UNAVAILABLE: { retryable: true },
  MONGO_UNAVAILABLE: { retryable: true },
  STACK_UNAVAILABLE: { retryable: false },
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** Base class of every error the service raises on purpose. */
export class FestivalResolverError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; retryable?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FestivalResolverError';
    this.code = code;
    this.retryable = options?.retryable ?? errorCodes[code].retryable;
  }
}

/** A bad setting: start-up stops with a message naming every bad variable. */
export class ConfigError extends FestivalResolverError {
  readonly problems: string[];

  constructor(message: string, problems: string[]) {
    super('CONFIG_INVALID', message);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** A message that can never be processed: it goes to the dead-letter topic with this reason. */
export class InvalidMessageError extends FestivalResolverError {
  readonly reason: string;

  constructor(reason: string, options?: { cause?: unknown }) {
    super('INVALID_MESSAGE', `invalid message: ${reason}`, options);
    this.name = 'InvalidMessageError';
    this.reason = reason;
  }
}

/** A dependency of the local stack or of a test is missing or not answering. */
export class StackUnavailableError extends FestivalResolverError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STACK_UNAVAILABLE', message, options);
    this.name = 'StackUnavailableError';
  }
}

export function isFestivalResolverError(error: unknown): error is FestivalResolverError {
  return error instanceof FestivalResolverError;
}
