import { describe, expect, it } from 'vitest';
import { collectionNames } from '../../src/persistence/collections.js';
import { computeKpis } from '../../src/ops/report/kpi.js';
import { renderKpiReport } from '../../src/ops/report/render.js';
import { generateWorld } from '../../src/twin/world-generator.js';
import { worldNominations } from '../../src/twin/world-nominations.js';
import { startPipeline } from '../helpers/pipeline.js';
import { runCli } from './run-cli.js';

describe('KPI report on a database filled by the real pipeline', () => {
  it('when 40 nominations went through the resolver, then the report agrees with the database, the world and the twin’s paid calls, and the CLI prints the same report', async () => {
    const world = generateWorld({ seed: 4040, size: 40 });
    const lineup = worldNominations(world, { seed: 11 });
    const pipeline = await startPipeline({
      world,
      env: { RETRY_MAX_ATTEMPTS: '2', RETRY_BASE_DELAY_MS: '200' },
    });
    await pipeline.startInstance();
    await pipeline.publish(lineup.map((l) => l.nomination));
    const nominations = pipeline.db.collection(collectionNames.nominations);
    await pipeline.waitFor(
      `${lineup.length} nominations recorded`,
      async () => (await nominations.countDocuments()) >= lineup.length,
      180_000,
    );

    const report = await computeKpis(pipeline.db);
    const attempts = pipeline.db.collection(collectionNames.lookupMetrics);
    const movies = pipeline.db.collection(collectionNames.movies);

    // (a) every recorded attempt is counted once, by source, with its successes.
    expect(report.lookups.total).toBe(await attempts.countDocuments());
    for (const s of report.lookups.bySource) {
      expect(s.attempts).toBe(await attempts.countDocuments({ source: s.source }));
      expect(s.successes).toBe(await attempts.countDocuments({ source: s.source, success: true }));
      expect(s.found).toBe(await attempts.countDocuments({ source: s.source, 'metadata.movie_found': true }));
    }
    expect(report.lookups.bySource.map((s) => s.source)).toContain('tmdb');

    // (b) tiers add up to the attempts; the hierarchy is what the world allows.
    expect(report.fallback.byTier.reduce((n, t) => n + t.attempts, 0)).toBe(report.lookups.total);
    const moviesOf = (hierarchy: string, importType: string) =>
      report.fallback.byHierarchy.find((h) => h.hierarchy === hierarchy && h.importType === importType)
        ?.movies ?? 0;
    const answers = lineup.map((l) => l.answer);
    expect(moviesOf('tmdb', 'full')).toBe(answers.filter((a) => a.tmdbPresent).length);
    expect(moviesOf('omdb', 'minimal')).toBe(answers.filter((a) => !a.tmdbPresent && a.omdb).length);
    expect(moviesOf('(none)', 'stub')).toBe(await movies.countDocuments({ importType: 'stub' }));
    for (const importType of ['full', 'minimal', 'stub']) {
      const inReport = report.fallback.byHierarchy
        .filter((h) => h.importType === importType)
        .reduce((n, h) => n + h.movies, 0);
      expect(inReport).toBe(await movies.countDocuments({ importType }));
    }

    // (c) the cost is the twin's charges plus the OMDb answers at the configured price.
    const counts = pipeline.twin.counts();
    const paid =
      pipeline.twin.chargedUsd() +
      (counts['omdb.byId'] + counts['omdb.byTitle']) * pipeline.config.sources.omdb.costUsd;
    expect(report.cost.totalUsd).toBeCloseTo(paid, 6);
    expect(report.festivals.reduce((sum, f) => sum + f.costUsd, 0)).toBeCloseTo(paid, 6);

    // (d) every nomination belongs to one festival row; full/minimal/stub match the movies.
    expect(report.festivals.reduce((n, f) => n + f.nominations, 0)).toBe(lineup.length);
    const one = report.festivals.find((f) => f.nominations > 0);
    expect(one).toBeDefined();
    if (one === undefined) return;
    expect(one.nominations).toBe(await nominations.countDocuments({ festival: one.festival }));
    expect(one.full + one.minimal + one.stub).toBe(one.movies);
    expect(one.stubShare).toBeCloseTo(one.movies === 0 ? 0 : one.stub / one.movies, 9);

    // Filters: one festival only; a window that starts in the future is empty.
    const scoped = await computeKpis(pipeline.db, { festival: one.festival });
    expect(scoped.festivals.map((f) => f.festival)).toEqual([one.festival]);
    expect(scoped.lookups.total).toBe(await attempts.countDocuments({ 'metadata.festival': one.festival }));
    const future = await computeKpis(pipeline.db, { since: new Date(Date.now() + 3_600_000) });
    expect(future.lookups.total).toBe(0);
    expect(future.festivals).toEqual([]);

    // The CLI computes the same report from the environment the service uses.
    const json = await runCli(['report', '--json'], pipeline.env);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const fromCli = JSON.parse(json.stdout) as typeof report;
    expect({ ...fromCli, generatedAt: '' }).toEqual({ ...report, generatedAt: '' });
    const table = await runCli(['report', '--since', '1h'], pipeline.env);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('(d) Festival import health');
    expect(renderKpiReport(report)).toContain(`${report.lookups.total} upstream attempts`);
  }, 240_000);
});
