import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parse } from 'yaml';
import { startPrometheus } from '../../src/monitoring/prometheus-server.js';
import { collectionNames } from '../../src/persistence/collections.js';
import { generateWorld } from '../../src/twin/world-generator.js';
import { worldNominations } from '../../src/twin/world-nominations.js';
import { startPipeline } from '../helpers/pipeline.js';
import { freePort } from '../setup/free-port.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** Every PromQL expression of every panel of every dashboard in grafana/dashboards. */
async function panelQueries(): Promise<{ where: string; expr: string }[]> {
  const dir = join(repo, 'grafana/dashboards');
  const out: { where: string; expr: string }[] = [];
  for (const file of await readdir(dir)) {
    const dashboard = JSON.parse(await readFile(join(dir, file), 'utf8')) as {
      panels: { title: string; targets?: { expr: string }[] }[];
    };
    for (const panel of dashboard.panels)
      for (const target of panel.targets ?? [])
        out.push({ where: `${file} / ${panel.title}`, expr: target.expr });
  }
  return out;
}

/** Alert rules, and the measured quantity of each (each side of `and`, left of its threshold). */
async function ruleQueries(): Promise<{ where: string; expr: string; measured: string[] }[]> {
  const rules = parse(await readFile(join(repo, 'prometheus/alerts.yml'), 'utf8')) as {
    groups: { rules: { alert: string; expr: string }[] }[];
  };
  return rules.groups.flatMap((g) =>
    g.rules.map((r) => ({
      where: r.alert,
      expr: r.expr,
      measured: r.expr.split(/\s+and\s+/).map((part) => part.split(/\s+(?:>|<|>=|<=|==)\s+/)[0]!.trim()),
    })),
  );
}

async function query(
  prometheus: string,
  expr: string,
): Promise<{ status: string; error?: string; data?: { result: unknown[] } }> {
  const res = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(expr)}`);
  return (await res.json()) as { status: string; error?: string; data?: { result: unknown[] } };
}

describe('Grafana panels and alert rules on a real Prometheus', () => {
  it('when Prometheus scrapes a resolver that processed a lineup, then every panel and rule query parses and returns data', async () => {
    const world = generateWorld({ seed: 81, size: 40 });
    const lineup = worldNominations(world, { seed: 9 }).map((l) => l.nomination);
    // The same films again in another category: answered by the lookup cache.
    const again = lineup
      .slice(0, 10)
      .map((n) => ({ ...n, nominationId: `${n.nominationId}:jury`, category: 'jury_prize' }));
    const pipeline = await startPipeline({
      world,
      twinOptions: { tmdb: { errorRate: 0.3 } },
      env: { RETRY_BASE_DELAY_MS: '200' },
    });
    const service = await pipeline.startInstance({}, { opsServer: true });
    const dataDir = await mkdtemp(join(tmpdir(), 'prometheus-'));
    const prometheus = await startPrometheus({
      dataDir,
      port: await freePort(),
      scrapeTargets: [`127.0.0.1:${service.ops.port}`],
      scrapeIntervalSeconds: 1,
      ruleFiles: [join(repo, 'prometheus/alerts.yml')],
    });
    onTestFinished(async () => {
      await prometheus.stop();
      await rm(dataDir, { recursive: true, force: true });
    });

    await pipeline.publish([...lineup, ...again]);
    await pipeline.publishRaw([{ key: 'poison', value: Buffer.from('not a nomination') }]);
    const total = lineup.length + again.length;
    await pipeline.waitFor(
      'the lineup recorded',
      async () => (await pipeline.db.collection(collectionNames.nominations).countDocuments()) >= total,
      240_000,
    );
    await service.housekeeping?.runOnce();
    await service.consumer.refreshLag();

    const queries = [
      ...(await panelQueries()),
      ...(await ruleQueries()).flatMap((r) => [{ where: `${r.where} (rule)`, expr: r.expr }]),
    ];
    const measured = (await ruleQueries()).flatMap((r) =>
      r.measured.map((expr) => ({ where: `${r.where} (measured)`, expr })),
    );
    expect(queries.length).toBeGreaterThan(15);

    // A few scrapes after the work, so rate() windows hold at least two samples of every series.
    const empty = async () => {
      const missing: string[] = [];
      for (const q of [...queries.filter((q) => !q.where.endsWith('(rule)')), ...measured]) {
        const answer = await query(prometheus.url, q.expr);
        if (answer.status !== 'success' || (answer.data?.result.length ?? 0) === 0)
          missing.push(`${q.where}: ${q.expr} → ${answer.error ?? 'no data'}`);
      }
      return missing;
    };
    let missing = await empty();
    for (let i = 0; i < 20 && missing.length > 0; i += 1) {
      await new Promise((r) => setTimeout(r, 1000));
      missing = await empty();
    }
    expect(missing).toEqual([]);

    // Every rule expression parses as a whole (it may rightly be empty: nothing is firing).
    for (const q of queries.filter((q) => q.where.endsWith('(rule)')))
      expect((await query(prometheus.url, q.expr)).status, q.where).toBe('success');
  }, 360_000);
});
