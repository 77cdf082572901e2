import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { StackConfig } from './config.js';
import { tcpOpen } from './health.js';
import type { StackPaths } from './paths.js';
import { ensureKafkaJars, kafkaJarsDir, runStep } from './prerequisites.js';
import type { StackService } from './service.js';
import { spawnDetached } from './supervisor.js';

/**
 * Apache Kafka in KRaft mode, single node, run with the machine's Java from the jars in
 * the cache. Broker logs go to <STACK_DIR>/logs/kafka-server.log (log4j, stack/kafka/
 * log4j.properties); the JVM's own output (crashes, GC trouble) to logs/kafka.log.
 */
export function kafkaService(config: StackConfig, paths: StackPaths): StackService {
  const port = config.ports.kafka;
  const address = `127.0.0.1:${port}`;
  const propertiesFile = join(paths.kafkaConfigDir, 'server.properties');
  return {
    name: 'kafka',
    address,
    port,
    ports: [port, config.ports.kafkaController],
    pidFile: join(paths.pids, 'kafka.pid'),
    logFile: join(paths.logs, 'kafka-server.log'),
    marker: `${paths.root}/`,
    hint:
      `read the log above; if port ${port} or ${config.ports.kafkaController} is taken, set STACK_KAFKA_PORT / STACK_KAFKA_CONTROLLER_PORT; ` +
      `if the data folder is damaged, run "npm run stack -- down" and delete ${paths.kafkaData}; Java 17 must be on PATH`,

    async prepare(progress) {
      await ensureKafkaJars(paths, config.env, progress);
    },

    async start(progress) {
      const classpath = `${kafkaJarsDir(paths)}/*`;
      mkdirSync(paths.kafkaConfigDir, { recursive: true });
      mkdirSync(paths.kafkaData, { recursive: true });
      writeFileSync(propertiesFile, renderProperties(paths, config));
      if (!existsSync(join(paths.kafkaData, 'meta.properties'))) {
        progress(`kafka: formatting a new KRaft log folder in ${paths.kafkaData}`);
        await runStep(
          'kafka format',
          'java',
          [
            '-cp',
            classpath,
            'kafka.tools.StorageTool',
            'format',
            '--ignore-formatted',
            '-t',
            newClusterId(),
            '-c',
            propertiesFile,
          ],
          {
            cwd: paths.root,
            env: config.env,
            log: join(paths.logs, 'kafka-format.log'),
            hint: 'Java 17 must be on PATH; delete the data folder if it holds another cluster',
          },
        );
      }
      return spawnDetached({
        name: 'kafka',
        command: 'java',
        args: [
          '-Xms128m',
          '-Xmx512m',
          // A development broker on a small shared machine: the client compiler only and the
          // serial collector halve start-up (about 7 s instead of 14 s on 2 busy cores) and
          // leave CPU to the tests; throughput is not what it is for.
          '-XX:+UseSerialGC',
          '-XX:TieredStopAtLevel=1',
          '-XX:+ExitOnOutOfMemoryError',
          '-Djava.awt.headless=true',
          `-Dkafka.logs.dir=${paths.logs}`,
          `-Dlog4j.configuration=file:${join(paths.templates, 'kafka', 'log4j.properties')}`,
          '-cp',
          classpath,
          'kafka.Kafka',
          propertiesFile,
        ],
        cwd: paths.root,
        env: config.env,
        logFile: join(paths.logs, 'kafka.log'),
        pidFile: join(paths.pids, 'kafka.pid'),
      });
    },

    async probe() {
      // A closed port answers at once; kafkajs alone would spend its whole retry budget.
      if (!(await tcpOpen(port))) return { healthy: false, reason: `nothing listens on ${address}` };
      const admin = new Kafka({
        clientId: 'festival-resolver-stack',
        brokers: [address],
        connectionTimeout: 1500,
        requestTimeout: 3000,
        retry: { retries: 0 },
        logLevel: logLevel.NOTHING,
      }).admin();
      try {
        await admin.connect();
        const cluster = await admin.describeCluster();
        // Metadata answers only once the broker has joined the KRaft quorum.
        await admin.listTopics();
        return {
          healthy: true,
          version: runningVersion(paths),
          detail: `cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s), controller ${cluster.controller}`,
        };
      } catch (error) {
        return {
          healthy: false,
          reason: `port open but the broker does not answer yet (${error instanceof Error ? error.message : String(error)})`,
        };
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    },
  };
}

function renderProperties(paths: StackPaths, config: StackConfig): string {
  const template = readFileSync(join(paths.templates, 'kafka', 'server.properties.template'), 'utf8');
  return template
    .replaceAll('{{PORT}}', String(config.ports.kafka))
    .replaceAll('{{CONTROLLER_PORT}}', String(config.ports.kafkaController))
    .replaceAll('{{DATA_DIR}}', paths.kafkaData);
}

/**
 * A Kafka cluster id: 16 random bytes in URL-safe base64 without padding, which is what
 * `kafka-storage random-uuid` prints (it also avoids a leading "-"); saves a JVM start.
 */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** The Kafka version of the jars the broker runs, read from the kafka_2.13-<v>.jar name. */
function runningVersion(paths: StackPaths): string {
  const dir = kafkaJarsDir(paths);
  const jar = existsSync(dir) ? readdirSync(dir).find((f) => /^kafka_2\.13-[\d.]+\.jar$/.test(f)) : undefined;
  return jar ? jar.slice('kafka_2.13-'.length, -'.jar'.length) : `unknown (no Kafka jars in ${dir})`;
}
