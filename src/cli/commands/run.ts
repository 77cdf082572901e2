import type { Command } from 'commander';
import { Registry } from 'prom-client';
import { loadConfig } from '../../config.js';
import { installGracefulShutdown } from '../../consumer/graceful-shutdown.js';
import { createLogger } from '../../logger.js';
import { StartAborted, startService, type Service } from '../../main.js';
import { takeEarlySignals } from '../early-signals.js';

/** `festival-resolver run`: the resolver itself, until SIGTERM or SIGINT. */
export function register(program: Command): void {
  program
    .command('run')
    .description(
      'consume festival.nominations and resolve every film through the tiered chain (SIGTERM drains and exits)',
    )
    .action(async () => {
      const config = loadConfig();
      const logger = createLogger(config.logLevel);
      const stopRequested = new AbortController();
      let starting: Promise<Service | undefined> = Promise.resolve(undefined);
      // A stop during start-up ends it between two steps (nothing more is started, no message
      // is handled), closes what was opened and exits 0; after start-up, it drains as usual.
      const shutdown = installGracefulShutdown({
        steps: [
          {
            name: 'resolver',
            stop: async () => {
              stopRequested.abort();
              await (await starting)?.stop();
            },
          },
        ],
        logger,
      });
      // In one tick, after the real handler is on: the signals bin/festival-resolver.js kept
      // while the modules loaded are taken over, and start-up begins, so none falls between
      // (see early-signals.ts for why the order matters).
      const early = takeEarlySignals();
      if (early !== undefined) {
        logger.info({ signal: early }, 'stop requested while the modules loaded: nothing was started');
        await shutdown.shutdown(early);
        return;
      }
      starting = startService(config, {
        logger,
        registry: new Registry(),
        stopRequested: stopRequested.signal,
      }).catch((error: unknown) => {
        if (error instanceof StartAborted) return undefined;
        throw error;
      });
      const service = await starting.catch((error: unknown) => {
        // Start-up failed on its own: the error and exit code of every command, not a shutdown.
        shutdown.uninstall();
        throw error;
      });
      if (service === undefined) return; // stopped during start-up; the shutdown exits
      logger.info(
        { metrics: `http://127.0.0.1:${service.ops.port}/metrics` },
        'festival-resolver is running; SIGTERM or Ctrl-C drains and stops',
      );
      // The consumer keeps the process alive; the action returns and commander waits.
    });
}
