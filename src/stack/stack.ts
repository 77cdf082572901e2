import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { StackConfig } from './config.js';
import { ferretdbService } from './ferretdb.js';
import { safeProbe, shownPath, tcpOpen, unavailable, waitHealthy } from './health.js';
import { kafkaService } from './kafka.js';
import { stackPaths, type StackPaths } from './paths.js';
import { postgresService } from './postgres.js';
import { registryService } from './registry.js';
import type { Progress, ServiceName, StackService } from './service.js';
import { ownsProcess, readPid, removePidFile, stopProcess, withLock } from './supervisor.js';

/** How one service looks right now. */
export interface ServiceStatus {
  name: ServiceName;
  address: string;
  healthy: boolean;
  version?: string;
  detail?: string;
  /** Why it is not healthy. */
  reason?: string;
  /** The pid of the process this stack started, when it is alive. */
  pid?: number;
  /** Healthy, but not started by this stack (another process owns the port). */
  external: boolean;
  logFile: string;
}

/** What `up` did for one service. */
export interface UpResult extends ServiceStatus {
  action: 'started' | 'already-running' | 'external';
}

/** The local stack: Kafka, PostgreSQL, FerretDB and the schema registry under one folder. */
export interface LocalStack {
  paths: StackPaths;
  services: StackService[];
  /** Starts whatever is not healthy yet; never starts a service twice. */
  up(only?: ServiceName[]): Promise<UpResult[]>;
  /** Stops the processes this stack started (all, or the named ones). */
  down(only?: ServiceName[]): Promise<void>;
  /** Fetches and builds what every service needs (packages, jars, binaries), starting nothing. */
  prepare(): Promise<void>;
  status(): Promise<ServiceStatus[]>;
}

export function createLocalStack(config: StackConfig, progress: Progress = () => undefined): LocalStack {
  const paths = stackPaths(config);
  const services = [
    kafkaService(config, paths),
    postgresService(config, paths),
    ferretdbService(config, paths),
    registryService(config, paths),
  ];
  const pick = (only?: ServiceName[]): StackService[] =>
    services.filter((s) => !only || only.includes(s.name));

  async function statusOf(service: StackService): Promise<ServiceStatus> {
    const pid = livePid(service);
    const probe = await safeProbe(service);
    const base = { name: service.name, address: service.address, pid, logFile: service.logFile };
    return probe.healthy
      ? { ...base, healthy: true, version: probe.version, detail: probe.detail, external: pid === undefined }
      : { ...base, healthy: false, reason: probe.reason, external: false };
  }

  async function upOne(service: StackService): Promise<UpResult> {
    const current = await statusOf(service);
    if (current.healthy) {
      const action = current.external ? 'external' : 'already-running';
      progress(
        current.external
          ? `${service.name}: already answering at ${service.address} (not started by this stack; left alone)`
          : `${service.name}: already healthy at ${service.address} (pid ${current.pid}), version ${current.version}`,
      );
      if (!current.external) await service.ready?.(progress);
      return { ...current, action };
    }
    let pid = current.pid;
    if (pid !== undefined) {
      // Alive but not healthy yet: most likely still starting from an earlier `up`.
      progress(`${service.name}: process ${pid} is running but not healthy yet; waiting for it`);
    } else {
      removePidFile(service.pidFile);
      for (const port of service.ports) {
        if (await tcpOpen(port))
          throw unavailable(
            service,
            `port ${port} is already taken by another process (see: ss -ltnp 'sport = :${port}')`,
            false,
          );
      }
      await service.prepare(progress);
      pid = await service.start(progress);
      progress(
        `${service.name}: started (pid ${pid}), waiting until it answers at ${service.address}; log ${shownPath(service.logFile)}`,
      );
    }
    const started = Date.now();
    await waitHealthy(service, pid, config.startTimeoutMs);
    await service.ready?.(progress);
    const probe = await waitHealthy(service, pid, config.startTimeoutMs);
    progress(
      `${service.name}: healthy in ${((Date.now() - started) / 1000).toFixed(1)} s, version ${probe.version}`,
    );
    return {
      ...current,
      healthy: true,
      version: probe.version,
      detail: probe.detail,
      reason: undefined,
      pid,
      external: false,
      action: 'started',
    };
  }

  async function upLocked(only?: ServiceName[]): Promise<UpResult[]> {
    // `up ferretdb` brings up PostgreSQL too.
    const wanted = only && [
      ...new Set(only.flatMap((name) => [...(services.find((s) => s.name === name)?.dependsOn ?? []), name])),
    ];
    const chosen = pick(wanted);
    // Fetch and build one at a time (two cores), then start everything at once; a service
    // whose prerequisites fail does not keep the others from starting.
    const unprepared = new Map<ServiceName, Error>();
    for (const service of chosen) {
      if (livePid(service) !== undefined || (await safeProbe(service)).healthy) continue;
      await service
        .prepare(progress)
        .catch((error: unknown) =>
          unprepared.set(service.name, error instanceof Error ? error : new Error(String(error))),
        );
    }
    // A service waits for the ones it depends on (FerretDB and the registry for
    // PostgreSQL); the others start at once.
    const started = new Map<ServiceName, Promise<UpResult>>();
    const startOne = async (service: StackService): Promise<UpResult> => {
      for (const name of service.dependsOn ?? []) {
        const dependency = started.get(name);
        if (!dependency) continue;
        const ok = await dependency.then(
          () => true,
          () => false,
        );
        if (!ok) throw unavailable(service, `${name}, which it needs, did not start`, false);
      }
      const failed = unprepared.get(service.name);
      if (failed) throw failed;
      return upOne(service);
    };
    for (const service of chosen) started.set(service.name, startOne(service));
    const results = await Promise.allSettled([...started.values()]);
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failures.length > 0)
      throw failures.length === 1
        ? failures[0]
        : new AggregateError(
            failures,
            failures.map((f) => (f instanceof Error ? f.message : String(f))).join('\n'),
          );
    return results.map((r) => (r as PromiseFulfilledResult<UpResult>).value);
  }

  return {
    paths,
    services,

    async up(only) {
      for (const dir of [paths.root, paths.logs, paths.pids]) mkdirSync(dir, { recursive: true });
      // Prerequisites may take minutes on a cold machine; the wait covers them too.
      const lockWait = config.startTimeoutMs + 10 * 60_000;
      return withLock(
        join(paths.pids, 'up.lock'),
        lockWait,
        (holder) => progress(`stack: waiting for another "up" (pid ${holder}) to finish`),
        () => upLocked(only),
      );
    },

    async prepare() {
      for (const dir of [paths.root, paths.logs, paths.pids]) mkdirSync(dir, { recursive: true });
      await withLock(
        join(paths.pids, 'up.lock'),
        config.startTimeoutMs + 10 * 60_000,
        (holder) => progress(`stack: waiting for another "up" (pid ${holder}) to finish`),
        async () => {
          for (const service of services) await service.prepare(progress);
        },
      );
    },

    async down(only) {
      // Reverse start order: clients of Kafka go before Kafka.
      for (const service of pick(only).reverse()) {
        const pid = livePid(service);
        if (pid === undefined) {
          removePidFile(service.pidFile);
          progress(`${service.name}: not running`);
          continue;
        }
        progress(`${service.name}: stopping pid ${pid}`);
        const how = await stopProcess(pid, service.name === 'kafka' ? 30_000 : 10_000);
        removePidFile(service.pidFile);
        progress(`${service.name}: ${how === 'killed' ? 'killed after it ignored SIGTERM' : 'stopped'}`);
      }
    },

    status() {
      return Promise.all(services.map((service) => statusOf(service)));
    },
  };
}

/** The pid from the service's pid file when that process is alive and belongs to this stack. */
function livePid(service: StackService): number | undefined {
  const pid = readPid(service.pidFile);
  return pid !== undefined && ownsProcess(pid, service.marker) ? pid : undefined;
}
