/**
 * One measured run of the real service (startService) against a twin: its own topics,
 * consumer group and database, removed at the end. The nominations are published first,
 * then the service is started and timed until every one is recorded.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient, type Collection, type Db } from 'mongodb';
import { Registry } from 'prom-client';
import { loadConfig, type Config } from '../src/config.js';
import type { Nomination } from '../src/domain/nomination.js';
import { AvroCodec, createSchemaRegistry, valueSubject } from '../src/kafka/avro-codec.js';
import { nominationKey } from '../src/kafka/message-key.js';
import { createIdempotentProducer, sendEncoded } from '../src/kafka/producer.js';
import { ensureTopics, serviceTopics } from '../src/kafka/topics.js';
import { createLogger } from '../src/logger.js';
import { startService, type Service } from '../src/main.js';
import { collectionNames } from '../src/persistence/collections.js';
import type { TwinServer } from '../src/twin/server.js';
import { TWIN_OMDB_KEY, TWIN_TMDB_TOKEN, TWIN_ZYTE_KEY } from '../src/twin/options.js';
import type { TwinUrls } from '../src/twin/server.js';

/** Where the stack is. */
export interface StackAddresses {
  kafkaBrokers: string;
  mongoUri: string;
  registryUrl: string;
}

/** Upstream calls the twin answered during a run, per source. */
export interface SourceCalls {
  tmdb: number;
  omdb: number;
  zyte: number;
}

/** What one run measured. */
export interface RunResult {
  label: string;
  nominations: number;
  recorded: number;
  durationMs: number;
  /** From start-up to the first nomination recorded (connections, group join, first fetch). */
  firstRecordedMs: number;
  /** CPU time of this process (service and twin together) during the run, ms. */
  cpuMs: number;
  calls: SourceCalls;
  rss: { startMb: number; endMb: number; peakMb: number; heapStartMb: number; heapEndMb: number };
  /** Upstream requests that failed, by source and error (429s, 5xx, timeouts), from api_lookup_metrics. */
  failedRequests: Record<string, number>;
  /** Nominations processed per second, sampled every `sampleEveryMs`. */
  samples: { atMs: number; processed: number; rssMb: number }[];
}

export interface RunInput {
  label: string;
  stack: StackAddresses;
  twin: { twin: TwinServer; urls: TwinUrls };
  /** Published in this order before the service starts. */
  batches: Nomination[][];
  env?: Record<string, string>;
  /** Called once the first `warmup` nominations are recorded; RSS start is taken after it. */
  warmup?: number;
  progress?: (line: string) => void;
  timeoutMs?: number;
  /** Print the nominations recorded and the upstream calls made in every second. */
  timeline?: boolean;
  /** Print the service's MongoDB commands per collection (count, total and mean ms). */
  profileMongo?: boolean;
  /** Reads what the service stored (e.g. to score it against an answer key) before the database is dropped. */
  inspect?: (db: Db) => Promise<void>;
}

const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

function callsOf(counts: ReturnType<TwinServer['counts']>): SourceCalls {
  return {
    tmdb: counts['tmdb.find'] + counts['tmdb.search'] + counts['tmdb.movie'],
    omdb: counts['omdb.byId'] + counts['omdb.byTitle'],
    zyte: counts['zyte.extract'],
  };
}

function diff(a: SourceCalls, b: SourceCalls): SourceCalls {
  return { tmdb: a.tmdb - b.tmdb, omdb: a.omdb - b.omdb, zyte: a.zyte - b.zyte };
}

async function processedCount(registry: Registry): Promise<number> {
  const metric = registry.getSingleMetric('festival_resolver_messages_processed_total');
  if (metric === undefined) return 0;
  const { values } = await metric.get();
  return values
    .filter((v) => v.labels.outcome === 'resolved' || v.labels.outcome === 'stub')
    .reduce((sum, v) => sum + v.value, 0);
}

function runEnv(input: RunInput): Record<string, string> {
  const id = randomUUID().slice(0, 8);
  const prefix = `bench-${id}`;
  return {
    KAFKA_BROKERS: input.stack.kafkaBrokers,
    SCHEMA_REGISTRY_URL: input.stack.registryUrl,
    MONGODB_URI:
      input.profileMongo === true
        ? `${input.stack.mongoUri}${input.stack.mongoUri.includes('?') ? '&' : '/?'}monitorCommands=true`
        : input.stack.mongoUri,
    MONGODB_DATABASE: `bench_${id}`,
    KAFKA_GROUP_ID: `${prefix}-group`,
    KAFKA_CLIENT_ID: prefix,
    TOPIC_NOMINATIONS: `${prefix}.nominations`,
    TOPIC_RESOLVED: `${prefix}.movie.resolved`,
    TOPIC_STUB: `${prefix}.movie.stub`,
    TOPIC_RETRY: `${prefix}.nominations.retry`,
    TOPIC_DLQ: `${prefix}.nominations.dlq`,
    HTTP_PORT: '0',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    TMDB_BASE_URL: input.twin.urls.tmdb,
    TMDB_READ_TOKEN: TWIN_TMDB_TOKEN,
    OMDB_BASE_URL: input.twin.urls.omdb,
    OMDB_API_KEY: TWIN_OMDB_KEY,
    ZYTE_BASE_URL: input.twin.urls.zyte,
    ZYTE_API_KEY: TWIN_ZYTE_KEY,
    // Budgets out of the way: the bench measures speed, not spend control.
    OMDB_DAILY_REQUEST_QUOTA: '100000000',
    OMDB_DAILY_BUDGET_USD: '1000000',
    OMDB_MONTHLY_BUDGET_USD: '1000000',
    ZYTE_DAILY_BUDGET_USD: '1000000',
    ZYTE_MONTHLY_BUDGET_USD: '1000000',
    ...input.env,
  };
}

async function publish(config: Config, kafka: Kafka, batches: Nomination[][]): Promise<void> {
  const codec = new AvroCodec(createSchemaRegistry(config.schemaRegistry), createLogger('silent'));
  await codec.registerAll(config.kafka.topics);
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  try {
    for (const batch of batches) {
      for (let i = 0; i < batch.length; i += 1000) {
        const slice = batch.slice(i, i + 1000);
        const messages = await Promise.all(
          slice.map(async (n) => ({ key: nominationKey(n), value: await codec.encode('nomination', n) })),
        );
        await sendEncoded(producer, config.kafka.topics.nominations, messages);
      }
    }
  } finally {
    await producer.disconnect();
  }
}

/** Runs the service over the nominations and removes everything it made. */
export async function measureRun(input: RunInput): Promise<RunResult> {
  const log = input.progress ?? (() => undefined);
  const config = loadConfig(runEnv(input));
  const total = input.batches.reduce((sum, b) => sum + b.length, 0);
  const kafka = new Kafka({
    clientId: config.kafka.clientId,
    brokers: config.kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const mongo = new MongoClient(config.mongo.uri);
  await mongo.connect();
  const registry = new Registry();
  let service: Service | undefined;
  try {
    await ensureTopics(kafka, serviceTopics(config.kafka), createLogger('silent'));
    const publishStarted = Date.now();
    await publish(config, kafka, input.batches);
    log(
      `  [${input.label}] published ${total} nominations in ${((Date.now() - publishStarted) / 1000).toFixed(1)} s`,
    );

    const before = callsOf(input.twin.twin.counts());
    const rssAtStart = process.memoryUsage();
    const cpuAtStart = process.cpuUsage();
    service = await startService(config, {
      logger: createLogger(config.logLevel),
      registry,
      opsServer: false,
      housekeeping: false,
    });
    const profile = input.profileMongo === true ? profileCommands(service) : undefined;
    const started = Date.now();
    const samples: RunResult['samples'] = [];
    const deadline = started + (input.timeoutMs ?? 3_600_000);
    let peak = rssAtStart.rss;
    let warmStart: NodeJS.MemoryUsage | undefined = input.warmup === undefined ? rssAtStart : undefined;
    let lastLog = started;
    let processed = 0;
    let first: number | undefined;
    let timeline =
      input.timeline === true
        ? { at: started, processed: 0, calls: { tmdb: 0, omdb: 0, zyte: 0 } }
        : undefined;
    while (processed < total) {
      if (Date.now() > deadline)
        throw new Error(`${input.label}: ${processed}/${total} after ${input.timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
      processed = await processedCount(registry);
      if (timeline !== undefined && Date.now() - timeline.at >= 1000) {
        const calls = diff(callsOf(input.twin.twin.counts()), before);
        log(
          `    t=${((Date.now() - started) / 1000).toFixed(0)} s: nominations +${processed - timeline.processed}, tmdb +${calls.tmdb - timeline.calls.tmdb}, omdb +${calls.omdb - timeline.calls.omdb}, zyte +${calls.zyte - timeline.calls.zyte}`,
        );
        timeline = { at: Date.now(), processed, calls };
      }
      if (first === undefined && processed > 0) {
        first = Date.now() - started;
        log(
          `  [${input.label}] first nomination recorded ${(first / 1000).toFixed(1)} s after start-up (consumer group join)`,
        );
      }
      const memory = process.memoryUsage();
      peak = Math.max(peak, memory.rss);
      if (warmStart === undefined && processed >= (input.warmup ?? 0)) {
        global.gc?.();
        warmStart = process.memoryUsage();
        log(
          `  [${input.label}] warm-up of ${input.warmup} done after ${((Date.now() - started) / 1000).toFixed(1)} s; RSS ${mb(warmStart.rss)} MB`,
        );
      }
      if (Date.now() - lastLog >= 10_000) {
        lastLog = Date.now();
        samples.push({ atMs: lastLog - started, processed, rssMb: mb(memory.rss) });
        log(
          `  [${input.label}] ${processed}/${total} after ${((lastLog - started) / 1000).toFixed(0)} s, RSS ${mb(memory.rss)} MB`,
        );
      }
    }
    const durationMs = Date.now() - started;
    const cpu = process.cpuUsage(cpuAtStart);
    if (profile !== undefined) printProfile(profile, total, log);
    global.gc?.();
    const end = process.memoryUsage();
    const calls = diff(callsOf(input.twin.twin.counts()), before);
    const recorded = await mongo
      .db(config.mongo.database)
      .collection(collectionNames.nominations)
      .estimatedDocumentCount();
    const start = warmStart ?? rssAtStart;
    const failedRequests = await countFailedRequests(
      mongo.db(config.mongo.database).collection(collectionNames.lookupMetrics),
    );
    await input.inspect?.(mongo.db(config.mongo.database));
    return {
      label: input.label,
      nominations: total,
      recorded,
      durationMs,
      firstRecordedMs: first ?? durationMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      calls,
      rss: {
        startMb: mb(start.rss),
        endMb: mb(end.rss),
        peakMb: mb(peak),
        heapStartMb: mb(start.heapUsed),
        heapEndMb: mb(end.heapUsed),
      },
      samples,
      failedRequests,
    };
  } finally {
    await service?.stop().catch(() => undefined);
    const topics = Object.values(config.kafka.topics);
    await admin.deleteTopics({ topics, timeout: 10_000 }).catch(() => undefined);
    await admin.disconnect();
    for (const topic of topics) {
      const subject = `${config.schemaRegistry.url}/subjects/${encodeURIComponent(valueSubject(topic))}`;
      await fetch(subject, { method: 'DELETE' }).catch(() => undefined);
      await fetch(`${subject}?permanent=true`, { method: 'DELETE' }).catch(() => undefined);
    }
    await mongo
      .db(config.mongo.database)
      .dropDatabase()
      .catch(() => undefined);
    await mongo.close();
  }
}

interface CommandStats {
  count: number;
  totalMs: number;
}

/** Times every command the service sends, by command name and collection. */
function profileCommands(service: Service): Map<string, CommandStats> {
  const stats = new Map<string, CommandStats>();
  const names = new Map<number, string>();
  service.mongo.client.on('commandStarted', (event) => {
    const target = event.command[event.commandName] as unknown;
    names.set(event.requestId, `${event.commandName} ${typeof target === 'string' ? target : ''}`);
  });
  service.mongo.client.on('commandSucceeded', (event) => {
    const name = names.get(event.requestId) ?? event.commandName;
    names.delete(event.requestId);
    const entry = stats.get(name) ?? { count: 0, totalMs: 0 };
    entry.count += 1;
    entry.totalMs += event.duration;
    stats.set(name, entry);
  });
  return stats;
}

function printProfile(
  stats: Map<string, CommandStats>,
  nominations: number,
  log: (line: string) => void,
): void {
  log('  MongoDB commands of the service (count, per nomination, total s, mean ms):');
  for (const [name, s] of [...stats].sort((a, b) => b[1].totalMs - a[1].totalMs)) {
    log(
      `    ${name.padEnd(36)} ${String(s.count).padStart(7)} ${(s.count / nominations).toFixed(2).padStart(7)} ${(s.totalMs / 1000).toFixed(1).padStart(8)} ${(s.totalMs / s.count).toFixed(1).padStart(8)}`,
    );
  }
}

/** Failed upstream requests by `source: error`, the error cut to its first words. */
async function countFailedRequests(collection: Collection): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for await (const doc of collection.find(
    { success: false },
    { projection: { source: 1, error_message: 1 } },
  )) {
    const message =
      typeof doc.error_message === 'string'
        ? doc.error_message
            .split(/[:(]/)[0]!
            .replace(/tt\d+/g, 'tt…')
            .replace(/\/\d+/g, '/…')
            .slice(0, 40)
            .trim()
        : 'unknown';
    const key = `${String(doc.source)}: ${message}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
