import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { sourceNames, type SourceName } from '../../domain/movie.js';
import { createIdempotentProducer } from '../../kafka/producer.js';
import { opsKafka, opsLogger, opsMongo, print } from '../../ops/cli-context.js';
import { replayParked, republishTo } from '../../ops/replay/replay-parked.js';
import { UsageError } from '../../ops/usage-error.js';
import { MongoParkedNominations } from '../../persistence/parked-nominations.js';

/**
 * `festival-resolver replay-parked`: re-drives parked nominations now, whatever the health of
 * their source (the running service does it on its own once the source answers again).
 */
export function register(program: Command): void {
  program
    .command('replay-parked')
    .description(
      'republish parked nominations (transient failures beyond RETRY_HORIZON) to TOPIC_NOMINATIONS as first deliveries',
    )
    .option('--source <name>', 'only those parked by one source (tmdb, omdb, imdb)')
    .option('--nomination <id>', 'only this parked nomination')
    .option('--dry-run', 'count what would be replayed; send nothing')
    .action(async (flags: { source?: string; nomination?: string; dryRun?: boolean }) => {
      if (flags.source !== undefined && !sourceNames.includes(flags.source as SourceName))
        throw new UsageError(`--source must be one of ${sourceNames.join(', ')}; got ${flags.source}`);
      if (flags.source !== undefined && flags.nomination !== undefined)
        throw new UsageError('give --source or --nomination, not both');
      const config = loadConfig();
      const logger = opsLogger(config);
      const mongo = await opsMongo(config);
      const producer = createIdempotentProducer(opsKafka(config, logger));
      try {
        const dryRun = flags.dryRun === true;
        if (!dryRun) await producer.connect();
        const replayed = await replayParked(
          {
            parking: new MongoParkedNominations(mongo.db),
            republish: republishTo(producer, config.kafka.topics.nominations),
          },
          flags.nomination === undefined
            ? { sources: flags.source === undefined ? sourceNames : [flags.source as SourceName], dryRun }
            : { nominationId: flags.nomination, dryRun },
        );
        if (flags.nomination !== undefined && replayed.length === 0)
          throw new UsageError(`${flags.nomination} is not parked (re-driven or never parked)`);
        print(
          `${dryRun ? 'dry run: would replay' : 'replayed'} ${replayed.length} parked nomination(s) to ${config.kafka.topics.nominations}`,
        );
      } finally {
        await producer.disconnect().catch(() => undefined);
        await mongo.close();
      }
    });
}
