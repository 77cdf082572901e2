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
      const service = await startService(config, { logger, registry: new Registry() });
      installGracefulShutdown({ steps: [{ name: 'resolver', stop: () => service.stop() }], logger });
      logger.info(
        { metrics: `http://127.0.0.1:${service.ops.port}/metrics` },
        'festival-resolver is running; SIGTERM or Ctrl-C drains and stops',
      );
      // The consumer keeps the process alive; the action returns and commander waits.
    });
}
