import type { Logger } from '../logger.js';
import type { HealthState } from './health-state.js';

/** One dependency the service cannot work without, and the variable an operator fixes when it is gone. */
export interface DependencyCheck {
  /** The health problem's name: `kafka`, `mongodb`. */
  name: string;
  /** The error code of its outage (KAFKA_UNAVAILABLE, MONGO_UNAVAILABLE). */
  code: string;
  /** The setting to check (KAFKA_BROKERS, MONGODB_URI). */
  variable: string;
  /** Resolves when the dependency answers; rejects (or outlives the timeout) when it does not. */
  probe: () => Promise<void>;
}

export interface DependencyMonitor {
  /** Probes every dependency now; resolves once the health state reflects the answers. */
  runOnce(): Promise<void>;
  stop(): void;
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Probes Kafka and MongoDB on a timer and reports each one that does not answer as a named
 * problem, so that /healthz and /readyz answer 503 naming the dependency and the variable
 * to check; the problem clears on the first answer after it returns.
 */
export function startDependencyMonitor(options: {
  health: HealthState;
  checks: readonly DependencyCheck[];
  logger: Logger;
  intervalMs?: number;
  timeoutMs?: number;
}): DependencyMonitor {
  const log = options.logger.child({ component: 'dependency-monitor' });
  const timeoutMs = options.timeoutMs ?? 3000;
  const down = new Set<string>();
  let running: Promise<void> | undefined;

  const check = async (dep: DependencyCheck): Promise<void> => {
    try {
      await withTimeout(dep.probe(), timeoutMs);
      if (down.delete(dep.name)) log.info({ dependency: dep.name }, 'dependency reachable again');
      options.health.clearProblem(dep.name);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      options.health.setProblem(
        dep.name,
        `${dep.code}: ${dep.name} is unreachable (${detail}); check ${dep.variable}`,
      );
      if (!down.has(dep.name))
        log.error(
          { dependency: dep.name, code: dep.code, variable: dep.variable, detail },
          'dependency unreachable',
        );
      down.add(dep.name);
    }
  };

  const runOnce = (): Promise<void> => {
    running ??= Promise.all(options.checks.map(check))
      .then(() => undefined)
      .finally(() => (running = undefined));
    return running;
  };

  const timer = setInterval(() => void runOnce(), options.intervalMs ?? 5000);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
