import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import type { SourceName } from '../../domain/movie.js';
import { createIdempotentProducer } from '../../kafka/producer.js';
import { opsKafka, opsLogger, opsMongo, print } from '../../ops/cli-context.js';
import { UsageError } from '../../ops/usage-error.js';
import { MongoParkedNominations } from '../../persistence/parked-nominations.js';

const sources: readonly SourceName[] = ['tmdb', 'omdb', 'imdb'];

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
    .option('--dry-run', 'count what would be replayed; send nothing')
    .action(async (flags: { source?: string; dryRun?: boolean }) => {
      if (flags.source !== undefined && !sources.includes(flags.source as SourceName))
        throw new UsageError(`--source must be one of ${sources.join(', ')}; got ${flags.source}`);
      const chosen = flags.source === undefined ? sources : [flags.source as SourceName];
      const config = loadConfig();
      const logger = opsLogger(config);
      const mongo = await opsMongo(config);
      const producer = createIdempotentProducer(opsKafka(config, logger));
      try {
        const parking = new MongoParkedNominations(mongo.db);
        if (flags.dryRun !== true) await producer.connect();
        let replayed = 0;
        for (const source of chosen) {
          for (const entry of await parking.list(source, Number.MAX_SAFE_INTEGER)) {
            if (flags.dryRun !== true) {
              await producer.send({
                topic: config.kafka.topics.nominations,
                acks: -1,
                messages: [{ key: entry.key, value: entry.value }],
              });
              await parking.remove(entry.nominationId);
            }
            replayed += 1;
          }
        }
        print(
          `${flags.dryRun === true ? 'dry run: would replay' : 'replayed'} ${replayed} parked nomination(s) to ${config.kafka.topics.nominations}`,
        );
      } finally {
        await producer.disconnect().catch(() => undefined);
        await mongo.close();
      }
    });
}
