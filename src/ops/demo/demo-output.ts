import type { DemoNames } from './demo-names.js';

/** Where a new user looks next: the metrics, Prometheus, the ops commands and Grafana. */
export function whereToLook(input: {
  names: DemoNames;
  stack: { kafka: string; mongo: string; registry: string };
  metricsUrl: string;
  /** The curator's console, when it runs. */
  consoleUrl?: string | undefined;
  prometheusUrl: string | undefined;
  keepRunning: boolean;
}): string[] {
  const { names, stack } = input;
  const env = `MONGODB_URI=${stack.mongo} MONGODB_DATABASE=${names.database}`;
  const lines = ['Where to look next'];
  const whileRunning = input.keepRunning ? '' : ' (while a demo runs with --keep-running)';
  lines.push(`  metrics        ${input.metricsUrl}${whileRunning}`);
  if (input.consoleUrl !== undefined)
    lines.push(
      `  console        ${input.consoleUrl}${whileRunning}: review queue, movies, KPI charts (or: ${env} npm run -s cli -- console)`,
    );
  if (input.prometheusUrl === undefined)
    lines.push('  Prometheus     not running in this demo (apt-get install prometheus, then run it again)');
  else {
    const query = encodeURIComponent('sum by (source) (festival_resolver_cost_usd_total)');
    lines.push(`  Prometheus     ${input.prometheusUrl}${whileRunning}`);
    lines.push(
      `                 targets: ${input.prometheusUrl}/targets   alerts: ${input.prometheusUrl}/alerts`,
    );
    lines.push(
      `                 try the queries up{job="festival-resolver"} and sum by (source) (festival_resolver_cost_usd_total):`,
    );
    lines.push(`                 ${input.prometheusUrl}/graph?g0.expr=${query}&g0.tab=1`);
  }
  lines.push('  the data of this run stays in MongoDB until the next demo run; with this environment:');
  lines.push(`                 ${env}`);
  lines.push(`    KPI report   ${env} npm run -s cli -- report`);
  lines.push(`    review queue ${env} npm run -s cli -- review list`);
  lines.push(
    `    input topic  ${names.topics.nominations} on ${stack.kafka} (schema registry ${stack.registry})`,
  );
  lines.push(
    '  Grafana        with Docker: docker compose up -d, then http://localhost:3000 (dashboards from grafana/dashboards, Prometheus on :9090)',
  );
  lines.push('  the local stack keeps running: npm run stack -- status | npm run stack -- down');
  return lines;
}
