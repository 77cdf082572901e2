import type { Command } from 'commander';
import { Registry } from 'prom-client';
import { loadConfig } from '../../config.js';
import { installGracefulShutdown } from '../../consumer/graceful-shutdown.js';
import { createLogger } from '../../logger.js';
import { startService } from '../../main.js';

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
      const starting = startService(config, { logger, registry: new Registry() });
      // Installed before start-up ends: a SIGTERM while the service is still starting waits
      // for it, then drains and exits 0 like any other (without a handler Node dies by the signal).
      installGracefulShutdown({
        steps: [{ name: 'resolver', stop: async () => (await starting).stop() }],
        logger,
      });
      const service = await starting;
      logger.info(
        { metrics: `http://127.0.0.1:${service.ops.port}/metrics` },
        'festival-resolver is running; SIGTERM or Ctrl-C drains and stops',
      );
      // The consumer keeps the process alive; the action returns and commander waits.
    });
}
