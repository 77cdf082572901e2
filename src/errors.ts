/**
 * The closed set of errors the service raises. Adapters throw or return these; only the
 * consumer entry point decides what an error means for a message (next tier, retry later,
 * dead-letter, stop). Upstream lookups return outcomes as data (src/sources/outcome.ts)
 * rather than throwing.
 */
export const errorCodes = {
  CONFIG_INVALID: { retryable: false },
  INVALID_MESSAGE: { retryable: false },
  SCHEMA_REGISTRY_ERROR: { retryable: true },
  SCHEMA_INCOMPATIBLE: { retryable: false },
  KAFKA_UNAVAILABLE: { retryable: true },
  MONGO_UNAVAILABLE: { retryable: true },
  UPSTREAM_TRANSIENT: { retryable: true },
  UPSTREAM_AUTH_FAILED: { retryable: false },
  UPSTREAM_QUOTA_EXHAUSTED: { retryable: false },
  UPSTREAM_BLOCKED: { retryable: true },
  UPSTREAM_INVALID_RESPONSE: { retryable: false },
  BUDGET_EXHAUSTED: { retryable: false },
  STACK_UNAVAILABLE: { retryable: false },
  TIMEOUT: { retryable: true },
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
