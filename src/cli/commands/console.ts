import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { openConsole } from '../../console/index.js';
import { enrichMovie } from '../../enrichment/enrich-movie.js';
import { openEnrichment } from '../../enrichment/open-enrichment.js';
import { opsKafka, opsLogger, opsMongo, print } from '../../ops/cli-context.js';
import { lazyRepublisher } from '../../ops/replay/replay-parked.js';
import { describeEnrichOutcome } from '../../ops/review/review-actions.js';
import { UsageError } from '../../ops/usage-error.js';

/** Resolves on the first SIGINT or SIGTERM. */
function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/** `festival-resolver console`: the curator's console on a store, without a running resolver. */
export function register(program: Command): void {
  program
    .command('console')
    .description(
      "the curator's console (review queue, movies, KPI charts) on the configured database, without a running resolver; Ctrl-C stops it",
    )
    .option('--port <port>', 'listen on this port instead of CONSOLE_PORT (0: any free port)')
    .option(
      '--no-enrich',
      'record and lock decisions only; do not look the film up (no sources; Kafka only to re-drive a parked nomination)',
    )
    .action(async (flags: { port?: string; enrich: boolean }) => {
      const config = loadConfig();
      const port = flags.port === undefined ? undefined : Number(flags.port);
      if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535))
        throw new UsageError(`--port must be a TCP port (0 to 65535); got ${flags.port}`);
      const logger = opsLogger(config);
      const mongo = await opsMongo(config);
      // Resolving enriches at once, like `review resolve`: the chain opens its own clients,
      // Kafka only when a movie.resolved event is published.
      const enrichment = flags.enrich ? await openEnrichment(config, { logger }) : undefined;
      // Re-driving a parked nomination publishes it again; no resolver here, so no re-driver's view.
      const republisher = lazyRepublisher(opsKafka(config, logger), config.kafka.topics.nominations);
      try {
        const server = await openConsole(config, {
          db: mongo.db,
          logger,
          ...(enrichment === undefined
            ? {}
            : {
                enrich: async (key: string) => describeEnrichOutcome(await enrichMovie(enrichment.deps, key)),
              }),
          ...(port === undefined ? {} : { port }),
          parked: { republish: republisher.republish },
        });
        print(
          `console: ${server.url} on database ${config.mongo.database}${server.readOnly ? ' (read-only: set CONSOLE_TOKEN to allow actions)' : ''}`,
        );
        print('console: press Ctrl-C to stop');
        await untilInterrupted();
        await server.close();
      } finally {
        await republisher.close().catch(() => undefined);
        await enrichment?.close();
        await mongo.close();
      }
    });
}
