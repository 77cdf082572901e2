import { describe, expect, it } from 'vitest';
import { nominationKey } from '../../src/kafka/message-key.js';
import { MongoParkedNominations } from '../../src/persistence/parked-nominations.js';
import { generateWorld } from '../../src/twin/world-generator.js';
import { worldNominations } from '../../src/twin/world-nominations.js';
import { startPipeline } from '../helpers/pipeline.js';
import { runCli } from './run-cli.js';

describe('review list --parked', () => {
  it('when nominations are parked, then review list names how many and --parked lists each with its film, source, reason, times and attempts; replay-parked --nomination re-drives one', async () => {
    const world = generateWorld({ seed: 8, size: 2 });
    const [a, b] = worldNominations(world, { seed: 1 });
    if (a === undefined || b === undefined) throw new Error('no nominations');
    const pipeline = await startPipeline({ world, env: { ENRICHMENT_ENABLED: 'false' } });
    await pipeline.publish([]); // topics and schemas
    const parking = new MongoParkedNominations(pipeline.db);
    const park = async (entry: typeof a, source: 'tmdb' | 'imdb', withFilm: boolean) =>
      parking.park({
        nominationId: entry.nomination.nominationId,
        ...(withFilm
          ? {
              film: {
                festival: entry.nomination.festival,
                editionYear: entry.nomination.editionYear,
                category: entry.nomination.category,
                title: entry.nomination.film.title,
                year: entry.nomination.film.year,
                imdbId: entry.nomination.film.imdbId,
              },
            }
          : {}),
        source,
        reason: `${source} answered 503`,
        since: new Date(Date.now() - 7 * 3600_000),
        parkedAt: new Date(Date.now() - 3600_000),
        tierAttempts: { [source]: 21 },
        key: Buffer.from(nominationKey(entry.nomination)),
        value: await pipeline.codec.encode('nomination', entry.nomination),
      });
    await park(a, 'tmdb', true);
    await park(b, 'imdb', false);

    const list = await runCli(['review', 'list'], pipeline.env);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('2 nomination(s) parked, waiting for a source: review list --parked');

    const parked = await runCli(['review', 'list', '--parked'], pipeline.env);
    expect(parked.code, parked.stderr).toBe(0);
    const rowA = parked.stdout.split('\n').find((l) => l.startsWith(a.nomination.nominationId)) ?? '';
    expect(rowA).toContain(a.nomination.film.title);
    expect(rowA).toContain(a.nomination.festival);
    expect(rowA).toMatch(
      /tmdb\s+tmdb answered 503\s+\d{4}-\d\d-\d\dT\d\d:\d\dZ \(7h\)\s+\d{4}-\d\d-\d\dT\d\d:\d\dZ\s+tmdb 21/,
    );
    const rowB = parked.stdout.split('\n').find((l) => l.startsWith(b.nomination.nominationId)) ?? '';
    expect(rowB).toContain('(film not kept)');
    expect(rowB).toContain('imdb 21');
    expect(parked.stdout).toContain('2 parked nomination(s)');

    const json = await runCli(['review', 'list', '--parked', '--json'], pipeline.env);
    const rows = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(rows.map((r) => r.nominationId)).toEqual([a.nomination.nominationId, b.nomination.nominationId]);
    expect(rows[0]).toMatchObject({ source: 'tmdb', film: { title: a.nomination.film.title } });
    expect(rows[0]).not.toHaveProperty('value');

    const one = await runCli(['replay-parked', '--nomination', a.nomination.nominationId], pipeline.env);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toContain('replayed 1 parked nomination(s)');
    expect(await parking.counts()).toEqual({ imdb: 1 });
    const again = await runCli(['replay-parked', '--nomination', a.nomination.nominationId], pipeline.env);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('is not parked');
    const after = await runCli(['review', 'list', '--parked'], pipeline.env);
    expect(after.stdout).not.toContain(a.nomination.nominationId);
    expect(after.stdout).toContain('1 parked nomination(s)');
  }, 120_000);
});
