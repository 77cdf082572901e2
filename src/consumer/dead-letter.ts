import type { Producer } from 'kafkajs';
import { headerNames, headerValue } from './headers.js';
import type { RetryState } from './retry-topic.js';

/**
 * The dead-letter topic: messages that can never be processed, copied byte for byte with the
 * reason in headers so that a human can read why and replay them to the input topic once
 * the cause is fixed. The consumer carries on with the next message.
 */

/** What to dead-letter and why. */
export interface DeadLetterCopy {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
  reason: string;
  code: string;
  /** Where it first arrived and how many times it went through the retry topic. */
  state: RetryState;
  now: number;
}

export function deadLetterHeaders(copy: DeadLetterCopy): Record<string, string> {
  return {
    ...copy.headers,
    [headerNames.dlqReason]: headerValue(copy.reason),
    [headerNames.dlqErrorCode]: headerValue(copy.code, 100),
    [headerNames.originalTopic]: copy.state.originalTopic,
    [headerNames.originalPartition]: String(copy.state.originalPartition),
    [headerNames.originalOffset]: copy.state.originalOffset,
    [headerNames.dlqAt]: new Date(copy.now).toISOString(),
    [headerNames.retryAttempt]: String(copy.state.retries),
  };
}

/** Publishes the copy and resolves once the broker acknowledged it. */
export async function publishDeadLetter(
  producer: Producer,
  dlqTopic: string,
  copy: DeadLetterCopy,
): Promise<void> {
  await producer.send({
    topic: dlqTopic,
    acks: -1,
    messages: [{ key: copy.key, value: copy.value, headers: deadLetterHeaders(copy) }],
  });
}
