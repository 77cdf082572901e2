import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { Registry } from 'prom-client';
import { loadConfig, type Config } from '../../config.js';
import { loadStackConfig } from '../../stack/config.js';
import { registeredCodec } from '../../kafka/setup.js';
import { createKafka } from '../../kafka/client.js';
import { createLogger, type Logger } from '../../logger.js';
import { startService, type Service } from '../../main.js';
import { startPrometheus, type PrometheusServer } from '../../monitoring/prometheus-server.js';
import { shownPath } from '../../stack/health.js';
import { repoRoot } from '../../stack/paths.js';
import { createLocalStack } from '../../stack/stack.js';
import { startTwin, type TwinServer } from '../../twin/server.js';
import { backfill } from '../backfill/backfill.js';
import { createProgress } from '../progress.js';
import { computeKpis } from '../report/kpi.js';
import { renderKpiReport } from '../report/render.js';
import { demoNames, newRunId, type DemoNames } from './demo-names.js';
import { serviceEnv, type StackAddresses } from './service-env.js';
import { stepper } from './steps.js';
import { whereToLook } from './demo-output.js';
import { demoTwinOptions, demoWorld, describeWorld } from './demo-world.js';
import { waitUntilDrained } from './drain.js';
import { measureGoals, renderGoals } from './goals.js';
import { preferredOrFreePort } from './ports.js';
import { removePreviousRuns } from './previous-runs.js';

/**
 * `festival-resolver demo`: the whole system on one machine for a new user, printing what it
 * does at each step. The local stack stays up afterwards; everything else (twin, resolver,
 * Prometheus) runs in this process or as its child and stops at the end.
 */

/** Options of one demo run. */
export interface DemoOptions {
  size: number;
  seed: number;
  withoutImdbIdShare: number;
  keepRunning: boolean;
  /** Prefix of databases, topics and groups ("demo"); tests use their own. */
  namespace: string;
  /** Preferred ports; a busy one falls back to a free port. */
  httpPort: number;
  prometheusPort: number;
  /** Preferred port of the curator's console (on loopback). */
  consolePort: number;
  /** CONSOLE_TOKEN for the console's actions; without one it is read-only. */
  consoleToken?: string;
  /** Skip Prometheus even when it is installed. */
  prometheus: boolean;
  drainTimeoutMs: number;
  /** Where the text goes (stdout); progress bars go to stderr. */
  print: (line: string) => void;
  /** Resolves when the user asks to stop (Ctrl-C) with --keep-running. */
  untilInterrupted: () => Promise<void>;
}

/** What the demo measured (the command prints it; the test reads the output). */
export interface DemoResult {
  names: DemoNames;
  failureRate: number;
  costPerNominationUsd: number;
}

interface Running {
  service?: Service;
  twin?: TwinServer;
  prometheus?: PrometheusServer;
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { print } = options;
  const steps = stepper(print, 8);
  const running: Running = {};
  const runStarted = Date.now();
  try {
    steps.step(
      1,
      'Local stack: Kafka (KRaft), a MongoDB-wire store (FerretDB on PostgreSQL) and the schema registry',
    );
    print(
      '  `stack up` is idempotent: it starts what is not running yet (the first time it fetches Kafka and builds the store and the registry, several minutes)',
    );
    const local = createLocalStack(loadStackConfig(), (line) => print(`  stack: ${line}`));
    // The resolver's JSON logs go to a file of this run: stdout tells the story, and kafkajs's
    // transient errors while new topics get their leaders would only alarm a new user.
    const logFile = join(local.paths.logs, `${options.namespace}-resolver.log`);
    const logger: Logger = createLogger(
      'info',
      pino.destination({ dest: logFile, mkdir: true, sync: true, append: false }),
    );
    const upResults = await local.up();
    for (const s of upResults)
      print(`  ${s.name.padEnd(9)} ${s.address.padEnd(28)} ${s.action}${s.version ? ` (${s.version})` : ''}`);
    const address = (name: string): string => upResults.find((s) => s.name === name)?.address ?? '';
    const stack: StackAddresses = {
      kafka: address('kafka'),
      mongo: address('ferretdb'),
      registry: address('registry'),
    };

    const names = demoNames(options.namespace, newRunId());
    steps.step(2, `This run: ${names.runId}`);
    const kafka = createKafka(
      { ...loadConfig(serviceEnv(names, stack)).kafka, clientId: `${names.clientId}-demo` },
      { logger },
    );
    const admin = kafka.admin();
    await admin.connect();
    const mongo = new MongoClient(stack.mongo, {
      serverSelectionTimeoutMS: 10_000,
      appName: 'festival-resolver-demo',
    });
    await mongo.connect();
    try {
      const removed = await removePreviousRuns({
        namespace: options.namespace,
        currentRunId: names.runId,
        admin,
        mongo,
        registryUrl: stack.registry,
      });
      print(
        removed.runs.length === 0
          ? `  no earlier ${options.namespace} runs to clean up`
          : `  removed ${removed.runs.length} earlier run(s) (${removed.databases} database(s) ${options.namespace}_*, ${removed.topics} topic(s) ${options.namespace}.*, their groups and schema subjects)`,
      );
      if (removed.kept.length > 0)
        print(
          `  kept ${removed.kept.join(', ')}: a resolver is still consuming there (a demo with --keep-running?)`,
        );
      const prometheusRoot = join(local.paths.root, `${options.namespace}-prometheus`);
      for (const runId of removed.runs)
        await rm(join(prometheusRoot, runId), { recursive: true, force: true });
      print(
        `  database ${names.database}; topics ${names.topics.nominations} (+ .retry, .dlq, movie.resolved, movie.stub); group ${names.groupId}`,
      );

      steps.step(
        3,
        'The twin of TMDb, OMDb and Zyte (in this process), serving a world built from the Cannes lineup',
      );
      const world = demoWorld({
        seed: options.seed,
        size: options.size,
        withoutImdbIdShare: options.withoutImdbIdShare,
      });
      for (const line of describeWorld(world)) print(`  ${line}`);
      const started = await startTwin({ world: world.world, options: demoTwinOptions(options.seed) });
      running.twin = started.twin;
      print(
        `  TMDb ${started.urls.tmdb} (20–60 ms, 40 req/s)  OMDb ${started.urls.omdb} (~100 ms, 10 req/s)  Zyte ${started.urls.zyte} (~300 ms, 5 req/s)`,
      );

      steps.step(4, 'The resolver (startService, in this process) pointed at the twin');
      const http = await preferredOrFreePort(options.httpPort);
      if (!http.preferred)
        print(`  port ${options.httpPort} is busy: /metrics goes on port ${http.port} instead`);
      const consolePort = await preferredOrFreePort(options.consolePort, '127.0.0.1');
      const config: Config = loadConfig({
        ...serviceEnv(names, stack, started.urls, http.port),
        CONSOLE_PORT: String(consolePort.port),
        ...(options.consoleToken === undefined ? {} : { CONSOLE_TOKEN: options.consoleToken }),
      });
      running.service = await startService(config, { logger, registry: new Registry() });
      print(
        `  tiers ${config.chain.order.join(' → ')} → stub; costs TMDb $${config.sources.tmdb.costUsd}, OMDb $${config.sources.omdb.costUsd}, Zyte $${config.sources.zyte.costUsd} per request; concurrency ${config.chain.concurrency}`,
      );
      const metricsUrl = `${running.service.ops.url}/metrics`;
      print(`  resolver logs (JSON): ${shownPath(logFile)}`);
      print(
        `  metrics and health: ${metricsUrl}  ${running.service.ops.url}/healthz  ${running.service.ops.url}/readyz`,
      );
      const consoleUrl = running.service.console?.url;
      if (consoleUrl !== undefined)
        print(
          `  curator's console: ${consoleUrl}${running.service.console?.readOnly === true ? ' (read-only: set CONSOLE_TOKEN to act on the review queue)' : ' (sign in with CONSOLE_TOKEN to act)'}`,
        );

      steps.step(
        5,
        'Prometheus scraping the resolver every 2 s, with the alert rules of prometheus/alerts.yml',
      );
      let prometheusUrl: string | undefined;
      if (!options.prometheus) print('  skipped (--no-prometheus)');
      else {
        try {
          const promPort = await preferredOrFreePort(options.prometheusPort, '127.0.0.1');
          running.prometheus = await startPrometheus({
            dataDir: join(prometheusRoot, names.runId),
            port: promPort.port,
            scrapeTargets: [`127.0.0.1:${running.service.ops.port}`],
            scrapeIntervalSeconds: 2,
            ruleFiles: [join(repoRoot, 'prometheus', 'alerts.yml')],
          });
          prometheusUrl = running.prometheus.url;
          print(
            `  Prometheus ${prometheusUrl}${promPort.preferred ? '' : ` (port ${options.prometheusPort} was busy)`}`,
          );
        } catch (error) {
          print(`  Prometheus not started: ${error instanceof Error ? error.message : String(error)}`);
          print('  the demo goes on without it; the metrics stay available on /metrics');
        }
      }

      steps.step(
        6,
        `Publishing ${world.published.length} nominations to ${names.topics.nominations} (Avro through the schema registry)`,
      );
      const codec = await registeredCodec(config, logger);
      const publishBar = createProgress();
      publishBar.start(world.published.length, 'published');
      const sent = await backfill({
        kafka,
        codec,
        topic: names.topics.nominations,
        nominations: world.published.map((p) => p.nomination),
        batchSize: 50,
        onProgress: (n) => publishBar.update(n),
      });
      publishBar.stop();
      print(
        `  published ${sent.sent} nominations in ${(sent.elapsedMs / 1000).toFixed(1)} s (the resolver consumes them as they arrive)`,
      );

      steps.step(
        7,
        'Resolving: until every nomination is recorded in MongoDB and the group has committed the end of the topic',
      );
      const db = mongo.db(names.database);
      const drainBar = createProgress();
      drainBar.start(world.published.length, 'recorded ');
      const drained = await waitUntilDrained({
        db,
        admin,
        groupId: names.groupId,
        topics: [names.topics.nominations, names.topics.retry],
        total: world.published.length,
        onProgress: (n) => drainBar.update(n),
        timeoutMs: options.drainTimeoutMs,
      }).finally(() => drainBar.stop());
      const seconds = (Date.now() - runStarted) / 1000;
      print(
        `  ${drained.recorded}/${world.published.length} nominations recorded, consumer lag 0 (${((world.published.length * 1000) / Math.max(1, drained.elapsedMs + sent.elapsedMs)).toFixed(1)} nominations/s)`,
      );
      const counts = running.twin.counts();
      print(
        `  upstream calls answered by the twin: TMDb ${counts['tmdb.find'] + counts['tmdb.search'] + counts['tmdb.movie']}, OMDb ${counts['omdb.byId'] + counts['omdb.byTitle']}, Zyte ${counts['zyte.extract']} (charged $${running.twin.chargedUsd().toFixed(2)})`,
      );

      steps.step(8, 'The KPI report (the same as `festival-resolver report`) and the two goals');
      print('');
      print(renderKpiReport(await computeKpis(db)));
      print('');
      const figures = await measureGoals(
        db,
        world.published.map((p) => ({ nominationId: p.nomination.nominationId, answer: p.answer })),
      );
      print(renderGoals(figures));
      steps.end();

      print('');
      for (const line of whereToLook({
        names,
        stack,
        metricsUrl,
        consoleUrl,
        prometheusUrl,
        keepRunning: options.keepRunning,
      }))
        print(line);
      print('');
      print(`demo: finished in ${seconds.toFixed(0)} s`);
      if (options.keepRunning) {
        print(
          `demo: the resolver, the console${consoleUrl === undefined ? '' : ` (${consoleUrl})`}, the twin and Prometheus keep running; press Ctrl-C to stop them`,
        );
        await options.untilInterrupted();
        print('demo: stopping');
      }
      return { names, failureRate: figures.failureRate, costPerNominationUsd: figures.costPerNominationUsd };
    } finally {
      await admin.disconnect().catch(() => undefined);
      await mongo.close().catch(() => undefined);
    }
  } finally {
    await stopAll(running, print);
  }
}

async function stopAll(running: Running, print: (line: string) => void): Promise<void> {
  const stopped: string[] = [];
  if (running.service) {
    await running.service
      .stop()
      .catch((error: unknown) => print(`  could not stop the resolver cleanly: ${String(error)}`));
    stopped.push('resolver');
  }
  if (running.prometheus) {
    await running.prometheus.stop().catch(() => undefined);
    stopped.push('Prometheus');
  }
  if (running.twin) {
    await running.twin.close().catch(() => undefined);
    stopped.push('twin');
  }
  if (stopped.length > 0)
    print(
      `demo: stopped the ${stopped.join(', ')}; the local stack stays up (npm run stack -- down stops it)`,
    );
}
