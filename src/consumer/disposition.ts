/**
 * What a message handler decides for one message. The handler maps errors to one of these
 * (errors are data); the runner carries it out and commits the offset only once the
 * decision is durable (the retry or dead-letter copy acknowledged by the broker).
 */
export type Disposition =
  | { kind: 'done' }
  | {
      kind: 'retry';
      /** Human-readable; goes into the x-retry-reason header. */
      reason: string;
      /** Bounded metric label, lower-cased (transient, blocked, circuit_open); default "unspecified". */
      code?: string;
      /** Source whose failure caused the retry, for the retries metric; default "unknown". */
      source?: string;
      /** Delay before the next attempt; default: the runner's growing delay for this attempt. */
      delayMs?: number;
      /** Epoch ms of the first transient failure (kept across passes; default: this one). */
      since?: number;
      /** Transient failures per tier after this pass (default: unchanged). */
      tierAttempts?: Readonly<Record<string, number>>;
    }
  | {
      kind: 'dead_letter';
      reason: string;
      /**
       * Bounded error code: the x-dlq-error-code header, and lower-cased the metric label
       * (UNDECODABLE, SCHEMA_INVALID, INVALID_FIELD, RETRIES_EXHAUSTED,
       * NOMINATION_CONFLICT; see docs/metrics.md).
       */
      code: string;
    }
  | {
      /** An operator problem (a bad API key): stop consuming, turn /healthz red, say what to fix. */
      kind: 'pause';
      reason: string;
    };

export const done = (): Disposition => ({ kind: 'done' });

export function retry(
  reason: string,
  options: {
    code?: string;
    source?: string;
    delayMs?: number;
    since?: number;
    tierAttempts?: Record<string, number>;
  } = {},
): Disposition {
  return { kind: 'retry', reason, ...options };
}

export function deadLetter(reason: string, code: string): Disposition {
  return { kind: 'dead_letter', reason, code };
}

export function pause(reason: string): Disposition {
  return { kind: 'pause', reason };
}

/** One consumed message as the handler sees it: the bytes exactly as they were produced. */
export interface InboundMessage {
  key: Buffer | null;
  value: Buffer | null;
  /** Broker timestamp (epoch ms as a string, as kafkajs gives it). */
  timestamp: string;
}

/** Where a message came from and how many times it has been tried. */
export interface MessageContext {
  /** The topic it was consumed from (the input topic or the retry topic). */
  topic: string;
  partition: number;
  offset: string;
  /** The input topic it first arrived on (x-original-topic on the retry topic). */
  originalTopic: string;
  /** 1 on first delivery; 1 + the x-retry-attempt header for a message from the retry topic. */
  attempt: number;
  /** The runner's cap on passes, when it has one (RetryPolicy.maxAttempts). */
  maxAttempts?: number;
  /** True when this is the last attempt under that cap: a retry disposition would be dead-lettered instead. */
  attemptsExhausted: boolean;
  /** Epoch ms of the message's first transient failure (x-retry-since), null on a first delivery. */
  retrySince: number | null;
  /** Transient failures per tier so far (x-retry-tiers). */
  tierAttempts: Readonly<Record<string, number>>;
  /** Headers decoded as UTF-8 strings. */
  headers: Record<string, string>;
  /** Aborted when the runner stops or loses the partition; long work may give up early. */
  signal: AbortSignal;
}

/**
 * Handles one message. Resolve with a disposition; throw InvalidMessageError for bytes that
 * can never be decoded (dead-lettered as UNDECODABLE); any other throw is unexpected: the
 * message is not committed and is delivered again after a backoff.
 */
export type MessageHandler = (message: InboundMessage, context: MessageContext) => Promise<Disposition>;
