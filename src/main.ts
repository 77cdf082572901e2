import type { Registry } from 'prom-client';
import { sourceKeyVariables, type Config } from './config.js';
import { readNomination } from './consumer/nomination-input.js';
import { startConsumerRunner, type ConsumerRunner } from './consumer/consumer-runner.js';
import type { MessageHandler } from './consumer/disposition.js';
import type { ConsoleServer } from './console/index.js';
import { enrichMovie } from './enrichment/enrich-movie.js';
import { startEnrichmentScheduler } from './enrichment/enrichment-scheduler.js';
import { createEnrichmentDeps } from './enrichment/open-enrichment.js';
import { FestivalResolverError } from './errors.js';
import { describeEnrichOutcome } from './ops/review/review-actions.js';
import { startDependencyMonitor } from './http/dependency-monitor.js';
import { HealthState } from './http/health-state.js';
import { startOpsServer, type OpsServer } from './http/server.js';
import { createKafka } from './kafka/client.js';
import { leavePreviousMembers, memberClientId, registerRunner } from './kafka/group-membership.js';
import { ensureServiceTopics, openEventPublisher, registeredCodec } from './kafka/setup.js';
import type { Logger } from './logger.js';
import { createMetrics, type ResolverMetrics } from './metrics/metrics.js';
import { connectMongo, type MongoConnection } from './mongo/connect.js';
import { ensureIndexes } from './persistence/indexes.js';
import { MongoResolutionStore } from './persistence/mongo-resolution-store.js';
import { NominationProcessor } from './resolver/nomination-processor.js';
import { startParkRedriver } from './resolver/park-redriver.js';
import { parkedGauge } from './resolver/parked-gauge.js';
import { MongoParkedNominations } from './persistence/parked-nominations.js';
import { republishTo } from './ops/replay/replay-parked.js';
import { startHousekeeping, type Housekeeping } from './service/housekeeping.js';
import { chainOnMongo } from './service/resolver-chain.js';

/** A running resolver: the consumer, the ops server and the clients it owns. */
export interface Service {
  health: HealthState;
  metrics: ResolverMetrics;
  ops: OpsServer;
  consumer: ConsumerRunner;
  mongo: MongoConnection;
  store: MongoResolutionStore;
  housekeeping?: Housekeeping;
  /** The curator's console (CONSOLE_PORT), when it runs. */
  console?: ConsoleServer;
  stop(): Promise<void>;
}

export interface ServiceOptions {
  logger: Logger;
  registry: Registry;
  /** Start the /metrics server (default true; tests running several instances may turn it off). */
  opsServer?: boolean;
  /** Run the periodic gauges, expiry and escalation jobs (default true). */
  housekeeping?: boolean;
  /** Start the curator's console when CONSOLE_ENABLED (default: as opsServer). */
  console?: boolean;
  /**
   * Aborted when a stop is asked for while the service is still starting (a SIGTERM during
   * start-up): nothing more is started, no message is handled, what was opened is closed and
   * startService rejects with StartAborted.
   */
  stopRequested?: AbortSignal;
}

/** startService gave up because a stop was asked for before it was up; everything it opened is closed. */
export class StartAborted extends Error {
  constructor() {
    super('stop requested during start-up: nothing was started');
    this.name = 'StartAborted';
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Wires the resolver from its configuration: every client is built here and passed down
 * (no singletons), and stop() closes them in reverse order.
 */
export async function startService(config: Config, options: ServiceOptions): Promise<Service> {
  const { logger, registry } = options;
  const log = logger.child({ component: 'service' });
  // Start-up phases (ms since the process started), logged with 'resolver started': after a
  // crash, the time to the first fetch is what the group waits for.
  const phases: Record<string, number> = {};
  const mark = (phase: string) => (phases[phase] = Math.round(process.uptime() * 1000));
  mark('startService');
  const metrics = createMetrics(registry);
  const health = new HealthState();
  const closers: { name: string; close: () => Promise<unknown> }[] = [];
  const closeAll = async () => {
    for (const { name, close } of closers.reverse()) {
      await close().catch((err: unknown) => log.warn({ err, part: name }, 'close failed'));
    }
  };
  /** Between the steps of start-up: a stop asked for meanwhile ends it here. */
  const proceed = () => {
    if (options.stopRequested?.aborted === true) throw new StartAborted();
  };

  // Never rejects; awaited on a failed start-up so that its connection is closed first.
  let leaving: Promise<unknown> = Promise.resolve();

  try {
    const ops =
      options.opsServer === false
        ? undefined
        : await startOpsServer({ port: config.http.port, registry, health, logger });
    if (ops) closers.push({ name: 'ops server', close: () => ops.close() });

    const kafka = createKafka(config.kafka, { logger });
    // The consumer's own client names this instance, so that its next life can remove the
    // member this one leaves behind if it dies (src/kafka/group-membership.ts). That look runs
    // while MongoDB and the topics are set up: it only has to be over before the join.
    const identity = {
      clientId: config.kafka.clientId,
      instanceId: config.kafka.instanceId,
      pid: process.pid,
    };
    const consumerKafka = config.kafka.leaveDeadMembers
      ? createKafka({ ...config.kafka, clientId: memberClientId(identity) }, { logger })
      : kafka;
    const releaseIdentity = registerRunner(identity);
    closers.push({ name: 'instance identity', close: () => Promise.resolve(releaseIdentity()) });
    leaving = config.kafka.leaveDeadMembers
      ? leavePreviousMembers({
          kafka: consumerKafka,
          groupId: config.kafka.groupId,
          identity,
          logger,
        }).finally(() => mark('leftDeadMembers'))
      : Promise.resolve();

    // MongoDB and Kafka are set up side by side; each is closed (in this order, reversed) once
    // its own set-up has settled.
    const mongoReady = (async () => {
      const connection = await connectMongo(config.mongo).catch((error: unknown) => {
        throw new FestivalResolverError('MONGO_UNAVAILABLE', `${describe(error)}; check MONGODB_URI`, {
          cause: error,
        });
      });
      try {
        await ensureIndexes(connection.db);
      } catch (error) {
        await connection.close().catch(() => undefined);
        throw error;
      }
      mark('mongo');
      return connection;
    })();
    const kafkaReady = (async () => {
      await ensureServiceTopics(kafka, config, logger);
      const registered = await registeredCodec(config, logger);
      const publisher = await openEventPublisher(kafka, registered, config);
      mark('kafka');
      return { codec: registered, ...publisher };
    })();
    closers.push({
      name: 'mongo',
      close: async () => (await mongoReady.catch(() => undefined))?.close(),
    });
    closers.push({
      name: 'producer',
      close: async () => (await kafkaReady.catch(() => undefined))?.producer.disconnect(),
    });
    const [mongo, { codec, producer, events }] = await Promise.all([mongoReady, kafkaReady]);
    proceed();

    // The process's one chain, ledger, rate limiter and breakers: the consumer, the enrichment
    // job and the console all resolve through it.
    const built = chainOnMongo(config, { db: mongo.db, logger, metrics });
    const { chain, ledger } = built;
    closers.push({ name: 'breakers', close: () => Promise.resolve(built.shutdown()) });

    const store = new MongoResolutionStore(mongo.db);
    const parking = new MongoParkedNominations(mongo.db);
    const gauge = parkedGauge(parking, metrics);
    const republish = republishTo(producer, config.kafka.topics.nominations);
    const processor = new NominationProcessor({
      readNomination: (value) => readNomination(codec, value),
      chain,
      store,
      events,
      metrics,
      health,
      logger,
      retry: config.chain.retry,
      ...(config.chain.retry.exhaustedPolicy === 'park' ? { parking, parkedGauge: gauge } : {}),
      keyVariables: sourceKeyVariables(config),
    });
    const handler: MessageHandler = (message, context) =>
      processor.process(message.value, {
        origin: `${context.topic}/${context.partition}/${context.offset}`,
        retrySince: context.retrySince,
        tierAttempts: context.tierAttempts,
        key: message.key,
      });

    const consumer = await startConsumerRunner({
      kafka: consumerKafka,
      beforeJoin: leaving,
      groupId: config.kafka.groupId,
      topics: {
        input: config.kafka.topics.nominations,
        retry: config.kafka.topics.retry,
        dlq: config.kafka.topics.dlq,
      },
      concurrency: config.chain.concurrency,
      handler,
      logger,
      metrics,
      health,
      retry: { baseDelayMs: config.chain.retry.baseDelayMs, maxDelayMs: config.chain.retry.maxDelayMs },
      producer,
      sessionTimeoutMs: config.kafka.sessionTimeoutMs,
      ...(options.stopRequested === undefined ? {} : { stopRequested: options.stopRequested }),
    });
    closers.push({ name: 'consumer', close: () => consumer.stop() });
    mark('consumer');
    proceed();

    const redriver = startParkRedriver({
      parking,
      sources: built.guarded,
      republish,
      gauge,
      logger,
      intervalMs: config.chain.retry.redriveIntervalMs,
    });
    closers.push({ name: 'park re-driver', close: () => redriver.stop() });
    // At once: the gauge exists from the start, and what an earlier run parked is looked at.
    await redriver.runOnce();

    const housekeeping: Housekeeping | undefined =
      options.housekeeping === false
        ? undefined
        : startHousekeeping({ db: mongo.db, ledger, store, metrics, config, logger });
    if (housekeeping) closers.push({ name: 'housekeeping', close: () => housekeeping.stop() });

    const withConsole = config.console.enabled && (options.console ?? options.opsServer !== false);
    const enrichment =
      config.enrichment.enabled || withConsole
        ? createEnrichmentDeps(config, { chain, store, events, logger, metrics, health })
        : undefined;
    if (enrichment && config.enrichment.enabled) {
      const scheduler = startEnrichmentScheduler(enrichment, {
        intervalMs: config.enrichment.intervalMinutes * 60_000,
      });
      closers.push({ name: 'enrichment scheduler', close: () => scheduler.stop() });
    }
    // A curator's decision is enriched at once, through the same chain, budgets and events.
    // The console is a convenience: a busy port must not keep the resolver from consuming.
    // Its modules are loaded only now, after the consumer joined: a restart after a crash
    // does not wait for them.
    const consoleServer =
      enrichment && withConsole
        ? await import('./console/index.js')
            .then(({ openConsole }) =>
              openConsole(config, {
                db: mongo.db,
                logger,
                enrich: async (key) => describeEnrichOutcome(await enrichMovie(enrichment, key)),
                parked: { republish, outlook: (source) => redriver.outlook(source), gauge },
              }),
            )
            .catch((err: unknown) => {
              log.error(
                { err, host: config.console.host, port: config.console.port },
                'console did not start (set CONSOLE_PORT or CONSOLE_ENABLED=false); the resolver runs without it',
              );
              return undefined;
            })
        : undefined;
    if (consoleServer) closers.push({ name: 'console', close: () => consoleServer.close() });

    const kafkaProbe = kafka.admin();
    const monitor = startDependencyMonitor({
      health,
      logger,
      checks: [
        {
          name: 'kafka',
          code: 'KAFKA_UNAVAILABLE',
          variable: 'KAFKA_BROKERS',
          probe: async () => {
            await kafkaProbe.connect();
            await kafkaProbe.describeCluster();
          },
        },
        { name: 'mongodb', code: 'MONGO_UNAVAILABLE', variable: 'MONGODB_URI', probe: () => mongo.ping() },
      ],
    });
    closers.push({
      name: 'dependency monitor',
      close: async () => {
        monitor.stop();
        await kafkaProbe.disconnect();
      },
    });
    await monitor.runOnce();
    proceed();

    health.setReady(true);
    mark('ready');
    log.info(
      {
        groupId: config.kafka.groupId,
        tiers: config.chain.order,
        concurrency: config.chain.concurrency,
        startupMs: phases,
      },
      'resolver started',
    );
    const placeholderOps: OpsServer = { url: '', port: 0, close: () => Promise.resolve() };
    return {
      health,
      metrics,
      ops: ops ?? placeholderOps,
      consumer,
      mongo,
      store,
      ...(housekeeping ? { housekeeping } : {}),
      ...(consoleServer ? { console: consoleServer } : {}),
      stop: async () => {
        health.setReady(false);
        await closeAll();
        log.info('resolver stopped');
      },
    };
  } catch (error) {
    if (error instanceof StartAborted) log.info('stop requested during start-up: closing what was opened');
    await leaving;
    await closeAll();
    throw error;
  }
}
