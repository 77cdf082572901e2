import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { ensureServiceTopics, registeredCodec } from '../../kafka/setup.js';
import { backfill } from '../../ops/backfill/backfill.js';
import { loadLineup } from '../../ops/backfill/load-lineup.js';
import { opsKafka, opsLogger, print } from '../../ops/cli-context.js';
import { createProgress } from '../../ops/progress.js';
import { UsageError } from '../../ops/usage-error.js';

interface BackfillFlags {
  file: string;
  festival: string;
  category: string;
  withoutImdbShare: string;
  dryRun?: boolean;
}

/** `festival-resolver backfill`: publishes a lineup to the nominations topic. */
export function register(program: Command): void {
  program
    .command('backfill')
    .description(
      'publish a lineup (CSV like shared/data/cannes-competition.csv, or a JSON array of nominations) to TOPIC_NOMINATIONS',
    )
    .requiredOption('--file <path>', 'lineup.csv or lineup.json')
    .option('--festival <name>', 'festival name for CSV rows (key: <name>_<year>)', 'cannes')
    .option('--category <name>', 'category for CSV rows', 'competition')
    .option(
      '--without-imdb-share <0..1>',
      'share of CSV films sent without their IMDb ID (stable choice)',
      '0',
    )
    .option('--dry-run', 'read and validate only; send nothing')
    .action(async (flags: BackfillFlags) => {
      const share = Number(flags.withoutImdbShare);
      if (!(share >= 0 && share <= 1))
        throw new UsageError(
          `--without-imdb-share must be a number in [0, 1]; got ${flags.withoutImdbShare}`,
        );
      const text = await readFile(flags.file, 'utf8').catch((error: unknown) => {
        throw new UsageError(
          `cannot read ${flags.file}: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
      const { nominations, invalid } = loadLineup(flags.file, text, {
        festival: flags.festival,
        category: flags.category,
        withoutImdbShare: share,
        producedAt: Date.now(),
      });
      for (const row of invalid)
        process.stderr.write(`skipped line ${row.line} (element ${row.index}): ${row.reason}\n`);
      const config = loadConfig();
      const topic = config.kafka.topics.nominations;
      if (flags.dryRun === true) {
        print(
          `dry run: ${nominations.length} nomination(s) would be sent to ${topic}, ${invalid.length} invalid skipped`,
        );
        return;
      }
      const logger = opsLogger(config);
      const kafka = opsKafka(config, logger);
      await ensureServiceTopics(kafka, config, logger);
      const codec = await registeredCodec(config, logger);
      const progress = createProgress();
      progress.start(nominations.length, 'backfill');
      try {
        const summary = await backfill({
          kafka,
          codec,
          topic,
          nominations,
          onProgress: (sent) => progress.update(sent),
        });
        progress.stop();
        print(
          `sent ${summary.sent}, skipped invalid ${invalid.length}, topic ${summary.topic}, elapsed ${(summary.elapsedMs / 1000).toFixed(1)} s, rate ${summary.perSecond}/s`,
        );
      } finally {
        progress.stop();
      }
    });
}
