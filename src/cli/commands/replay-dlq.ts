import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { opsKafka, opsLogger, print } from '../../ops/cli-context.js';
import { createProgress } from '../../ops/progress.js';
import { parseDlqFilter } from '../../ops/replay/dlq-filter.js';
import { replayDlq } from '../../ops/replay/replay-dlq.js';
import { formatTable } from '../../ops/table.js';
import { UsageError } from '../../ops/usage-error.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `festival-resolver replay-dlq`: re-drives dead-lettered messages to the input topic. */
export function register(program: Command): void {
  program
    .command('replay-dlq')
    .description(
      'republish dead-lettered messages (original key and bytes) from TOPIC_DLQ to TOPIC_NOMINATIONS, reading the DLQ up to its current end',
    )
    .option('--filter <expr>', 'reason~<text> or code=<CODE>; repeat to require several', collect, [])
    .option('--limit <n>', 'replay at most n matching messages')
    .option('--dry-run', 'list what would be replayed; send nothing')
    .action(async (flags: { filter: string[]; limit?: string; dryRun?: boolean }) => {
      const filters = flags.filter.map(parseDlqFilter);
      const limit = flags.limit === undefined ? undefined : Number(flags.limit);
      if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0))
        throw new UsageError(`--limit must be a whole number >= 0; got ${flags.limit}`);
      const config = loadConfig();
      const logger = opsLogger(config);
      const kafka = opsKafka(config, logger);
      const progress = createProgress();
      const started = Date.now();
      let phase: 'none' | 'scan' | 'replay' = 'none';
      try {
        const summary = await replayDlq({
          kafka,
          dlqTopic: config.kafka.topics.dlq,
          inputTopic: config.kafka.topics.nominations,
          filters,
          ...(limit === undefined ? {} : { limit }),
          dryRun: flags.dryRun === true,
          onScan: (n, total) => {
            if (phase !== 'scan') progress.start(total, 'read dlq');
            phase = 'scan';
            progress.update(n);
          },
          onReplay: (n, total) => {
            if (phase !== 'replay') {
              progress.stop();
              progress.start(total, 'replay');
            }
            phase = 'replay';
            progress.update(n);
          },
        });
        progress.stop();
        if (flags.dryRun === true) {
          print(
            summary.messages.length === 0
              ? 'nothing would be replayed'
              : formatTable(
                  ['partition', 'offset', 'code', 'reason', 'key'],
                  summary.messages.map((m) => [
                    m.partition,
                    m.offset,
                    m.code,
                    m.reason.length > 80 ? `${m.reason.slice(0, 79)}…` : m.reason,
                    m.key?.toString('utf8') ?? '',
                  ]),
                ),
          );
        }
        print(
          `${flags.dryRun === true ? 'dry run: ' : ''}scanned ${summary.scanned}, matched ${summary.matched}, replayed ${summary.replayed}, skipped ${summary.skipped}, from ${config.kafka.topics.dlq} to ${config.kafka.topics.nominations} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
      } finally {
        progress.stop();
      }
    });
}
