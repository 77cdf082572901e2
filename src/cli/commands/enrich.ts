import type { Command } from 'commander';
import { Registry } from 'prom-client';
import { loadConfig } from '../../config.js';
import type { EnrichmentSummary } from '../../enrichment/enrichment-pass.js';
import { runEnrichmentPass } from '../../enrichment/enrichment-pass.js';
import { openEnrichment } from '../../enrichment/open-enrichment.js';
import { createLogger } from '../../logger.js';
import { createMetrics } from '../../metrics/metrics.js';

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--limit: expected a positive whole number, got ${JSON.stringify(value)}`);
  return n;
}

/** The summary as a few readable lines. */
export function renderSummary(summary: EnrichmentSummary): string {
  const upgrades = Object.entries(summary.upgraded).map(([kind, n]) => `${kind} ${n}`);
  const lines = [
    `examined ${summary.examined}`,
    `upgraded ${upgrades.length === 0 ? 'none' : upgrades.join(', ')}`,
    `refreshed ${summary.refreshed}, unchanged ${summary.unchanged}, skipped (locked) ${summary.skippedLocked}, failed ${summary.failed}`,
  ];
  if (summary.stoppedBy !== undefined) lines.push(`stopped early: ${summary.stoppedBy}`);
  return `${lines.join('\n')}\n`;
}

/** `festival-resolver enrich`: one enrichment pass over the movies due, then a summary. */
export function register(program: Command): void {
  program
    .command('enrich')
    .description(
      'run one enrichment pass: look minimal and stub movies due by the schedule up again and upgrade them (never a locked match)',
    )
    .option('--limit <n>', 'movies to examine at most (default ENRICHMENT_MAX_PER_PASS)', positiveInteger)
    .option('--json', 'print the summary as JSON')
    .action(async (flags: { limit?: number; json?: boolean }) => {
      const config = loadConfig();
      const logger = createLogger(config.logLevel);
      const handle = await openEnrichment(config, {
        logger,
        metrics: createMetrics(new Registry(), { defaultMetrics: false }),
      });
      try {
        const summary = await runEnrichmentPass(
          handle.deps,
          flags.limit === undefined ? {} : { limit: flags.limit },
        );
        process.stdout.write(flags.json === true ? `${JSON.stringify(summary)}\n` : renderSummary(summary));
        if (summary.stoppedBy?.startsWith('auth_failed') === true) process.exitCode = 2;
      } finally {
        await handle.close();
      }
    });
}
