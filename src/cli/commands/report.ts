import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { opsMongo, print } from '../../ops/cli-context.js';
import { since } from '../../ops/duration.js';
import { computeKpis } from '../../ops/report/kpi.js';
import { renderKpiReport } from '../../ops/report/render.js';

/** `festival-resolver report`: the four KPIs from the service database. */
export function register(program: Command): void {
  program
    .command('report')
    .description(
      'lookup success by source, fallback effectiveness, cost and festival import health from api_lookup_metrics, movies and nominations',
    )
    .option('--since <window>', 'only the last 30d, 12h or 90m (default: everything)')
    .option('--festival <key>', 'only one festival key, e.g. cannes_2025')
    .option('--json', 'print one JSON object instead of tables')
    .action(async (flags: { since?: string; festival?: string; json?: boolean }) => {
      const config = loadConfig();
      const mongo = await opsMongo(config);
      try {
        const report = await computeKpis(mongo.db, {
          ...(flags.since === undefined ? {} : { since: since(flags.since) }),
          ...(flags.festival === undefined ? {} : { festival: flags.festival }),
        });
        print(flags.json === true ? JSON.stringify(report) : renderKpiReport(report));
      } finally {
        await mongo.close();
      }
    });
}
