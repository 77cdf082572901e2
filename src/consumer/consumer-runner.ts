import type { Consumer, ConsumerConfig, Kafka, Producer } from 'kafkajs';
import { FestivalResolverError } from '../errors.js';
import type { HealthState } from '../http/health-state.js';
import type { Logger } from '../logger.js';
import { createIdempotentProducer } from '../kafka/producer.js';
import { processBatch } from './batch-processor.js';
import { startLagReporter, type LagReporter } from './consumer-lag.js';
import type { MessageHandler } from './disposition.js';
import { processMessage, type ConsumerMetrics, type MessageProcessorDeps } from './process-message.js';
import { defaultMaxRetryDelayMs, type Coordinates, type RetryPolicy } from './retry-topic.js';
import { Semaphore } from './semaphore.js';

/** Topics of one runner: it consumes `input` and `retry`, and produces to `retry` and `dlq`. */
export interface RunnerTopics {
  input: string;
  retry: string;
  dlq: string;
}

/** Everything startConsumerRunner needs; clients are built by the caller (main.ts or a test). */
export interface ConsumerRunnerOptions {
  kafka: Kafka;
  /**
   * Awaited before the consumer joins: main.ts removes the members a dead earlier life of
   * this instance left in the group (src/kafka/group-membership.ts), so the join does not
   * wait for their session timeout.
   */
  beforeJoin?: Promise<unknown>;
  groupId: string;
  topics: RunnerTopics;
  /** Handlers running at once across all partitions (Config['chain'].concurrency). */
  concurrency: number;
  handler: MessageHandler;
  logger: Logger;
  metrics?: ConsumerMetrics;
  /** Receives the `consumer` problem on a pause or a crash, so that /healthz turns 503. */
  health?: HealthState;
  /** Config['chain'].retry (default 5 attempts, 1 s base delay) plus an optional delay cap. */
  retry?: RetryPolicy;
  /** A connected producer for retry and dead-letter copies; by default the runner owns one. */
  producer?: Producer;
  /** Default true: a new group starts from the oldest message (nothing is skipped). */
  fromBeginning?: boolean;
  /** Default min(concurrency, 16). */
  partitionsConsumedConcurrently?: number;
  /** Default 30 s: how long stop() lets in-flight handlers finish. */
  drainTimeoutMs?: number;
  /** How often the consumer-lag gauge is read (default 1 s, see consumer-lag.ts). */
  lagIntervalMs?: number;
  /** Backoff after an unexpected error, doubling per consecutive failure (default 1 s … 30 s). */
  failureBackoff?: { baseMs: number; maxMs: number };
  /**
   * Default 10 s: how long the group waits for a member that stopped heartbeating (a crashed
   * process) before its partitions move. The heartbeat runs at a tenth of it.
   */
  sessionTimeoutMs?: number;
  /** Default 1 s: how often offsets of finished messages are committed while a batch runs. */
  commitIntervalMs?: number;
  /** kafkajs consumer settings to override (session timeout, max wait…). */
  consumerConfig?: Partial<Omit<ConsumerConfig, 'groupId'>>;
  /** A stop asked for before the runner is returned (a SIGTERM during start-up): no message is started. */
  stopRequested?: AbortSignal;
}

/** A running consumer. */
export interface ConsumerRunner {
  readonly groupId: string;
  /** Stops fetching, lets in-flight messages finish (bounded), commits, disconnects. Idempotent. */
  stop(options?: { drainTimeoutMs?: number }): Promise<void>;
  /** Resumes after a pause disposition once the operator fixed the cause. */
  resume(): void;
  /** The reason of the current pause, or null. */
  pausedReason(): string | null;
  /** Refreshes the consumer-lag gauge now (it also refreshes on a timer and after batches). */
  refreshLag(): Promise<void>;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Starts consuming the input and retry topics. Resolves once the consumer joined its group;
 * rejects with KAFKA_UNAVAILABLE naming the cause when Kafka cannot be reached.
 * At-least-once: an offset is committed only when its message and every message before it
 * in the partition are done, so handlers must be idempotent.
 */
export async function startConsumerRunner(options: ConsumerRunnerOptions): Promise<ConsumerRunner> {
  const { kafka, groupId, topics, handler } = options;
  const logger = options.logger.child({ component: 'consumer', groupId });
  const retryPolicy: RetryPolicy = options.retry ?? { maxAttempts: 5, baseDelayMs: 1000 };
  const drainTimeoutMs = options.drainTimeoutMs ?? 30_000;
  const backoff = options.failureBackoff ?? { baseMs: 1000, maxMs: 30_000 };
  const subscribed = [topics.input, topics.retry];

  const sessionTimeout = options.sessionTimeoutMs ?? 10_000;
  const commitIntervalMs = options.commitIntervalMs ?? 1000;
  // kafkajs has no static membership (group.instance.id), so a restarted process is a new
  // member: the dead one holds its partitions until its session times out, unless the new
  // life removes it first (`beforeJoin`). The session still bounds the freeze when a process
  // dies for good; the heartbeat runs at a tenth of it (1 s by default). The rebalance
  // timeout is kept short too: a process killed while it was joining counts as "joining"
  // until it expires, and the whole group waits for it; a live member that needs longer to
  // finish its in-flight messages is dropped from the generation and rejoins (its unfinished
  // messages are delivered again).
  const consumer: Consumer = kafka.consumer({
    sessionTimeout,
    heartbeatInterval: Math.max(500, Math.floor(sessionTimeout / 10)),
    rebalanceTimeout: Math.max(10_000, sessionTimeout),
    allowAutoTopicCreation: false,
    ...options.consumerConfig,
    groupId,
  });
  const ownsProducer = options.producer === undefined;
  const producer = options.producer ?? createIdempotentProducer(kafka);
  const admin = kafka.admin();

  let paused: string | null = null;
  let drainDeadline: number | undefined;
  const stopping = new AbortController();
  const timers = new Set<NodeJS.Timeout>();
  const failures = new Map<string, number>();
  const doneOffsets = new Map<string, Set<string>>();
  const heartbeatIntervalMs =
    options.consumerConfig?.heartbeatInterval ?? Math.max(500, Math.floor(sessionTimeout / 10));

  // Stopping before stop() exists: nothing starts, and what already runs keeps its drain time.
  const stopEarly = () => {
    drainDeadline ??= Date.now() + drainTimeoutMs;
    stopping.abort();
  };
  if (options.stopRequested?.aborted === true) stopEarly();
  else options.stopRequested?.addEventListener('abort', stopEarly, { once: true });

  const deps: MessageProcessorDeps = {
    topics,
    producer,
    handler,
    retryPolicy,
    maxRetryWaitMs: retryPolicy.maxDelayMs ?? defaultMaxRetryDelayMs,
    slots: new Semaphore(options.concurrency),
    logger,
    metrics: options.metrics,
    now: () => Date.now(),
    random: Math.random,
  };

  const pauseAll = (reason: string, at: Coordinates) => {
    if (paused !== null) return;
    paused = reason;
    consumer.pause(subscribed.map((topic) => ({ topic })));
    options.health?.setProblem('consumer', `consumption paused: ${reason}`);
    logger.error(
      { reason, ...at },
      'consumption paused: fix the cause named in "reason", then restart the service; the message was not committed',
    );
  };

  /** Pauses one partition for a while (retry copy not due, or backoff after a failure). */
  const holdPartition = (topic: string, partition: number, ms: number) => {
    consumer.pause([{ topic, partitions: [partition] }]);
    const timer = setTimeout(() => {
      timers.delete(timer);
      // A global pause or a stop wins over the timer.
      if (paused === null && !stopping.signal.aborted) consumer.resume([{ topic, partitions: [partition] }]);
    }, ms);
    timers.add(timer);
  };

  let lag: LagReporter | undefined;

  let firstBatchLogged = false;
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    // A new assignment: done-but-uncommitted offsets of the old one may belong to another member now.
    doneOffsets.clear();
    logger.info(
      {
        memberId: payload.memberId,
        joinMs: payload.duration,
        partitions: Object.values(payload.memberAssignment).reduce((n, ps) => n + ps.length, 0),
        uptimeMs: Math.round(process.uptime() * 1000),
      },
      'consumer joined the group',
    );
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    logger.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
    if (!payload.restart)
      options.health?.setProblem('consumer', `consumer stopped after an error: ${describe(payload.error)}`);
  });

  try {
    if (ownsProducer) await producer.connect();
    await admin.connect();
    await options.beforeJoin;
    await consumer.connect();
    await consumer.subscribe({ topics: subscribed, fromBeginning: options.fromBeginning ?? true });
    await consumer.run({
      eachBatchAutoResolve: false,
      autoCommitInterval: commitIntervalMs,
      partitionsConsumedConcurrently:
        options.partitionsConsumedConcurrently ?? Math.min(options.concurrency, 16),
      eachBatch: async (payload) => {
        const { batch } = payload;
        if (!firstBatchLogged && batch.messages.length > 0) {
          firstBatchLogged = true;
          logger.info(
            { topic: batch.topic, partition: batch.partition, uptimeMs: Math.round(process.uptime() * 1000) },
            'first batch fetched',
          );
        }
        const tp = `${batch.topic}:${batch.partition}`;
        let done = doneOffsets.get(tp);
        if (!done) doneOffsets.set(tp, (done = new Set()));
        const outcome = await processBatch(
          batch,
          {
            resolveOffset: (offset) => payload.resolveOffset(offset),
            heartbeat: () => payload.heartbeat(),
            isRunning: () => payload.isRunning(),
            isStale: () => payload.isStale(),
            commitOffsetsIfNecessary: () => payload.commitOffsetsIfNecessary(),
          },
          {
            processOne: async (message, at, signal, mayStart) => {
              const result = await processMessage(deps, message, at, signal, mayStart);
              if (result.kind === 'paused') pauseAll(result.reason, at);
              return result;
            },
            shouldStop: () => paused !== null || stopping.signal.aborted,
            stopping: stopping.signal,
            drainDeadline: () => drainDeadline,
            doneOffsets: done,
            heartbeatIntervalMs,
            commitIntervalMs,
            logger,
          },
        );
        if (paused === null && !stopping.signal.aborted) {
          let holdMs = 0;
          if (outcome.failed) {
            const n = (failures.get(tp) ?? 0) + 1;
            failures.set(tp, n);
            holdMs = Math.min(backoff.maxMs, backoff.baseMs * 2 ** (n - 1));
          } else failures.delete(tp);
          if (outcome.deferredUntil !== null)
            holdMs = Math.max(holdMs, Math.min(outcome.deferredUntil - Date.now(), deps.maxRetryWaitMs));
          if (holdMs > 0) holdPartition(batch.topic, batch.partition, holdMs);
        }
        void lag?.refresh();
      },
    });
  } catch (error) {
    await Promise.allSettled([
      consumer.disconnect(),
      admin.disconnect(),
      ownsProducer ? producer.disconnect() : Promise.resolve(),
    ]);
    throw new FestivalResolverError(
      'KAFKA_UNAVAILABLE',
      `consumer group ${groupId} could not start on topics ${subscribed.join(', ')}: ${describe(error)}`,
      { cause: error },
    );
  }

  if (options.metrics)
    lag = startLagReporter({
      admin,
      groupId,
      topics: subscribed,
      gauge: options.metrics.consumerLag,
      logger,
      intervalMs: options.lagIntervalMs,
    });
  logger.info({ topics: subscribed, concurrency: options.concurrency }, 'consumer started');

  let stopped: Promise<void> | undefined;
  const stop = (stopOptions: { drainTimeoutMs?: number } = {}): Promise<void> => {
    stopped ??= (async () => {
      const drainMs = stopOptions.drainTimeoutMs ?? drainTimeoutMs;
      drainDeadline = Date.now() + drainMs;
      // Fetch nothing more and start nothing more: running batches see the abort before each
      // message and again once a message holds a slot.
      stopping.abort();
      consumer.pause(subscribed.map((topic) => ({ topic })));
      for (const timer of timers) clearTimeout(timer);
      lag?.stop();
      logger.info({ drainTimeoutMs: drainMs }, 'consumer stopping: draining in-flight messages');
      // kafkajs waits for running batches (which honour the drain deadline), commits, leaves the group.
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<'gave_up'>(
        (resolve) => (timer = setTimeout(() => resolve('gave_up'), drainMs + 15_000)),
      );
      const result = await Promise.race([consumer.disconnect().then(() => 'disconnected' as const), gaveUp]);
      clearTimeout(timer);
      if (result === 'gave_up')
        logger.error(
          { drainTimeoutMs: drainMs },
          'consumer did not disconnect in time; uncommitted messages will be delivered again',
        );
      await Promise.allSettled([
        admin.disconnect(),
        ownsProducer ? producer.disconnect() : Promise.resolve(),
      ]);
      logger.info({}, 'consumer stopped');
    })();
    return stopped;
  };

  return {
    groupId,
    stop,
    resume: () => {
      if (paused === null || stopping.signal.aborted) return;
      paused = null;
      options.health?.clearProblem('consumer');
      consumer.resume(subscribed.map((topic) => ({ topic })));
      logger.info({}, 'consumption resumed');
    },
    pausedReason: () => paused,
    refreshLag: () => lag?.refresh() ?? Promise.resolve(),
  };
}
