import type { Logger } from '../logger.js';

/** One thing to close on shutdown, in order (the consumer first: it drains and commits). */
interface ShutdownStep {
  name: string;
  stop: () => Promise<void>;
}

/** The parts of `process` the shutdown uses; tests pass a fake. */
export interface ShutdownProcess {
  on(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  removeListener(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  exit(code: number): void;
}

export interface GracefulShutdownOptions {
  steps: readonly ShutdownStep[];
  logger: Logger;
  /** Hard limit for all steps together (default 45 s, above the consumer's 30 s drain). */
  timeoutMs?: number;
  signals?: readonly NodeJS.Signals[];
  process?: ShutdownProcess;
}

/** Installed signal handlers; `shutdown` can also be called directly (for example on a fatal error). */
export interface GracefulShutdown {
  shutdown(reason: string): Promise<number>;
  uninstall(): void;
}

/**
 * Installs SIGTERM/SIGINT handlers that stop fetching, let in-flight messages finish, commit,
 * disconnect and exit 0 (1 when a step failed or the time ran out). A second signal exits at
 * once. Called by the `run` command, never at import time.
 */
export function installGracefulShutdown(options: GracefulShutdownOptions): GracefulShutdown {
  const proc: ShutdownProcess = options.process ?? process;
  const logger = options.logger.child({ component: 'shutdown' });
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const timeoutMs = options.timeoutMs ?? 45_000;
  let running: Promise<number> | undefined;

  const runSteps = async (): Promise<number> => {
    let code = 0;
    for (const step of options.steps) {
      try {
        await step.stop();
        logger.info({ step: step.name }, 'shutdown step done');
      } catch (error) {
        code = 1;
        logger.error({ err: error, step: step.name }, 'shutdown step failed');
      }
    }
    return code;
  };

  const shutdown = (reason: string): Promise<number> => {
    running ??= (async () => {
      logger.info({ reason, timeoutMs }, 'shutting down');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<number>((resolve) => {
        timer = setTimeout(() => {
          logger.error(
            { timeoutMs },
            'shutdown timed out; exiting with uncommitted work that will be delivered again',
          );
          resolve(1);
        }, timeoutMs);
      });
      const code = await Promise.race([runSteps(), timedOut]);
      clearTimeout(timer);
      logger.info({ code }, 'exiting');
      proc.exit(code);
      return code;
    })();
    return running;
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (running) {
      logger.warn({ signal }, 'second signal during shutdown; exiting now');
      proc.exit(1);
      return;
    }
    void shutdown(signal);
  };

  for (const signal of signals) proc.on(signal, onSignal);
  return {
    shutdown,
    uninstall: () => {
      for (const signal of signals) proc.removeListener(signal, onSignal);
    },
  };
}
