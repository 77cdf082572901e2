import type { KafkaMessage, Producer } from 'kafkajs';
import { InvalidMessageError, isFestivalResolverError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ResolverMetrics } from '../metrics/metrics.js';
import { publishDeadLetter } from './dead-letter.js';
import type { Disposition, MessageContext, MessageHandler } from './disposition.js';
import { decodeHeaders } from './headers.js';
import {
  publishRetry,
  readRetryState,
  retryDelayMs,
  type Coordinates,
  type RetryPolicy,
  type RetryState,
} from './retry-topic.js';
import type { Semaphore } from './semaphore.js';

/** The metrics the runner updates (a slice of ResolverMetrics so that tests can pass a few). */
export type ConsumerMetrics = Pick<
  ResolverMetrics,
  'consumerLag' | 'deadLetters' | 'retries' | 'messagesProcessed'
>;

/**
 * What became of one message:
 * - done: handled and any retry/dead-letter copy acknowledged; its offset may be committed;
 * - failed: unexpected error; not committed, delivered again;
 * - paused: the handler asked to stop consuming; not committed;
 * - deferred: a retry copy not due yet; not handled, delivered again when due;
 * - not_started: the runner stopped or paused while it waited for a slot; delivered again.
 */
export type MessageResult =
  | { kind: 'done' }
  | { kind: 'not_started' }
  | { kind: 'failed' }
  | { kind: 'paused'; reason: string }
  | { kind: 'deferred'; dueAt: number };

/** Everything one message needs; shared by all messages of a runner. */
export interface MessageProcessorDeps {
  topics: { input: string; retry: string; dlq: string };
  producer: Producer;
  handler: MessageHandler;
  retryPolicy: RetryPolicy;
  /** Bound on how far in the future a retry copy's not-before may be (from its timestamp). */
  maxRetryWaitMs: number;
  slots: Semaphore;
  logger: Logger;
  metrics?: ConsumerMetrics;
  now: () => number;
  random: () => number;
}

function firstDelivery(at: Coordinates): RetryState {
  return {
    retries: 0,
    notBefore: 0,
    since: null,
    tierAttempts: {},
    originalTopic: at.topic,
    originalPartition: at.partition,
    originalOffset: at.offset,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Handles one message and carries out the handler's disposition. Never throws. */
export async function processMessage(
  deps: MessageProcessorDeps,
  message: KafkaMessage,
  at: Coordinates,
  signal: AbortSignal,
  mayStart: () => boolean = () => true,
): Promise<MessageResult> {
  const { topics, logger } = deps;
  const headers = decodeHeaders(message.headers);
  // Only the retry topic's copies carry retry state: a message on the input topic is always a
  // first delivery, even when a replayed dead letter still carries old x-retry-* headers.
  const fromRetryTopic = at.topic === topics.retry;
  const state = fromRetryTopic ? readRetryState(headers, at) : firstDelivery(at);
  const coordinates = { topic: at.topic, partition: at.partition, offset: at.offset };

  if (fromRetryTopic && state.notBefore > 0) {
    const published = Number(message.timestamp);
    const dueAt = Number.isFinite(published)
      ? Math.min(state.notBefore, published + deps.maxRetryWaitMs)
      : state.notBefore;
    if (dueAt > deps.now()) return { kind: 'deferred', dueAt };
  }

  const attempt = state.retries + 1;
  const maxAttempts = deps.retryPolicy.maxAttempts;
  const context: MessageContext = {
    ...coordinates,
    originalTopic: state.originalTopic,
    attempt,
    ...(maxAttempts === undefined ? {} : { maxAttempts }),
    attemptsExhausted: maxAttempts !== undefined && attempt >= maxAttempts,
    retrySince: state.since ?? null,
    tierAttempts: state.tierAttempts ?? {},
    headers,
    signal,
  };
  const inbound = { key: message.key ?? null, value: message.value ?? null, timestamp: message.timestamp };

  let disposition: Disposition | null;
  try {
    disposition = await deps.slots.run(async () => {
      // Checked once the slot is held: nothing starts after a stop or a pause.
      if (!mayStart()) return null;
      logger.debug({ ...coordinates, attempt }, 'message handling started');
      return deps.handler(inbound, context);
    });
  } catch (error) {
    if (error instanceof InvalidMessageError) {
      // Thrown while reading the bytes (the codec): the message can never be decoded.
      disposition = { kind: 'dead_letter', reason: error.reason, code: 'UNDECODABLE' };
    } else if (isFestivalResolverError(error) && !error.retryable) {
      // Delivering it again would fail the same way (a schema the registry refuses…).
      logger.error(
        { err: error, ...coordinates, code: error.code },
        'handler failed with an error that retrying cannot fix',
      );
      disposition = { kind: 'dead_letter', reason: error.message, code: error.code };
    } else {
      logger.error(
        { err: error, ...coordinates, attempt },
        'handler failed unexpectedly; the message is not committed and will be delivered again',
      );
      deps.metrics?.messagesProcessed.inc({ outcome: 'failed' });
      return { kind: 'failed' };
    }
  }

  if (disposition === null) return { kind: 'not_started' };

  if (disposition.kind === 'retry' && context.attemptsExhausted) {
    // The handler should have decided what exhaustion means; never loop forever.
    logger.warn(
      { ...coordinates, attempt, maxAttempts, reason: disposition.reason },
      'handler asked for a retry after the last attempt; dead-lettering instead',
    );
    disposition = {
      kind: 'dead_letter',
      reason: `retries exhausted after ${attempt} attempts: ${disposition.reason}`,
      code: 'RETRIES_EXHAUSTED',
    };
  }

  try {
    switch (disposition.kind) {
      case 'done':
        return { kind: 'done' };
      case 'retry': {
        const delayMs = disposition.delayMs ?? retryDelayMs(attempt, deps.retryPolicy, deps.random);
        await publishRetry(deps.producer, topics.retry, {
          key: inbound.key,
          value: inbound.value,
          headers,
          state,
          reason: disposition.reason,
          delayMs,
          now: deps.now(),
          ...(disposition.since === undefined ? {} : { since: disposition.since }),
          ...(disposition.tierAttempts === undefined ? {} : { tierAttempts: disposition.tierAttempts }),
        });
        logger.info(
          { ...coordinates, attempt, delayMs, reason: disposition.reason },
          'message sent to the retry topic',
        );
        deps.metrics?.retries.inc({
          source: disposition.source ?? 'unknown',
          reason: disposition.code ?? 'unspecified',
        });
        deps.metrics?.messagesProcessed.inc({ outcome: 'retried' });
        return { kind: 'done' };
      }
      case 'dead_letter':
        await publishDeadLetter(deps.producer, topics.dlq, {
          key: inbound.key,
          value: inbound.value,
          headers,
          reason: disposition.reason,
          code: disposition.code,
          state,
          now: deps.now(),
        });
        logger.warn(
          { ...coordinates, attempt, code: disposition.code, reason: disposition.reason },
          'message sent to the dead-letter topic',
        );
        deps.metrics?.deadLetters.inc({ reason: disposition.code.toLowerCase() });
        deps.metrics?.messagesProcessed.inc({ outcome: 'dead_lettered' });
        return { kind: 'done' };
      case 'pause':
        deps.metrics?.messagesProcessed.inc({ outcome: 'paused' });
        return { kind: 'paused', reason: disposition.reason };
    }
  } catch (error) {
    // The copy was not acknowledged: the input offset must not be committed.
    logger.error(
      { err: error, ...coordinates, attempt, disposition: disposition.kind, detail: describe(error) },
      'could not publish the retry or dead-letter copy; the message will be delivered again',
    );
    deps.metrics?.messagesProcessed.inc({ outcome: 'failed' });
    return { kind: 'failed' };
  }
}
