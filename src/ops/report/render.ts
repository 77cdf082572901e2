import { formatTable, percent, usd } from '../table.js';
import type { KpiReport } from './kpi.js';

/** The report as readable text: one titled table per indicator. */
export function renderKpiReport(report: KpiReport): string {
  const scope = [
    `generated ${report.generatedAt}`,
    report.since === null ? 'all time' : `since ${report.since}`,
    report.festival === null ? 'all festivals' : `festival ${report.festival}`,
  ].join(', ');
  const sections: string[] = [`festival-resolver KPI report (${scope})`];

  sections.push(
    `(a) Lookup success by source — ${report.lookups.total} upstream attempts\n${formatTable(
      ['source', 'attempts', 'successes', 'success rate', 'found', 'found rate'],
      report.lookups.bySource.map((s) => [
        s.source,
        s.attempts,
        s.successes,
        percent(s.successes, s.attempts),
        s.found,
        percent(s.found, s.attempts),
      ]),
    )}`,
  );

  sections.push(
    `(b) Fallback effectiveness by tier\n${formatTable(
      ['level', 'source', 'attempts', 'found', 'found rate', 'fell through because'],
      report.fallback.byTier.map((t) => [
        t.level,
        t.source,
        t.attempts,
        t.found,
        percent(t.found, t.attempts),
        Object.entries(t.fallbackReasons)
          .sort((a, b) => b[1] - a[1])
          .map(([reason, n]) => `${reason} ${n}`)
          .join(', '),
      ]),
    )}`,
    `Movies by source hierarchy and import type\n${formatTable(
      ['hierarchy', 'import type', 'movies'],
      report.fallback.byHierarchy.map((h) => [h.hierarchy, h.importType, h.movies]),
    )}`,
  );

  sections.push(
    `(c) Cost by source — total ${usd(report.cost.totalUsd)}\n${formatTable(
      ['source', 'attempts', 'cost'],
      report.cost.bySource.map((c) => [c.source, c.attempts, usd(c.costUsd)]),
    )}`,
  );

  sections.push(
    `(d) Festival import health\n${formatTable(
      [
        'festival',
        'nominations',
        'movies',
        'full',
        'minimal',
        'stub',
        'stub share',
        'attempts',
        'cost',
        'cost/nomination',
      ],
      report.festivals.map((f) => [
        f.festival,
        f.nominations,
        f.movies,
        f.full,
        f.minimal,
        f.stub,
        percent(f.stub, f.movies),
        f.attempts,
        usd(f.costUsd),
        usd(f.costPerNominationUsd),
      ]),
    )}`,
  );
  return `${sections.join('\n\n')}\n`;
}
