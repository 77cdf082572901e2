import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { renderSummary } from '../../src/cli/commands/enrich.js';
import { twinFilm } from '../helpers/twin.js';
import { consumedPipeline, unknownEverywhere, withTmdbKnowing } from './enrichment-fixture.js';

const run = promisify(execFile);

describe('festival-resolver enrich', () => {
  it('when run with --json against a database holding a stub TMDb now knows, then it prints the pass summary and the movie is full', async () => {
    const film = twinFilm(unknownEverywhere);
    const { pipeline, world, movies } = await consumedPipeline([film]);
    pipeline.twin.setWorld(withTmdbKnowing(world, [film.imdbId]));

    const { stdout } = await run(
      process.execPath,
      ['bin/festival-resolver.js', 'enrich', '--json', '--limit', '5'],
      { env: { ...process.env, ...pipeline.env, LOG_LEVEL: 'silent' }, timeout: 60_000 },
    );

    expect(JSON.parse(stdout)).toEqual({
      examined: 1,
      upgraded: { 'stub→full': 1 },
      refreshed: 0,
      unchanged: 0,
      skippedLocked: 0,
      failed: 0,
    });
    expect((await movies()).get(film.imdbId)).toMatchObject({ importType: 'full' });
  }, 120_000);

  it('when the summary is rendered for people, then each upgrade kind and an early stop are named', () => {
    const text = renderSummary({
      examined: 4,
      upgraded: { 'stub→full': 2, 'minimal→full': 1 },
      refreshed: 0,
      unchanged: 0,
      skippedLocked: 0,
      failed: 1,
      stoppedBy: 'auth_failed: tmdb',
    });
    expect(text).toBe(
      'examined 4\nupgraded stub→full 2, minimal→full 1\nrefreshed 0, unchanged 0, skipped (locked) 0, failed 1\nstopped early: auth_failed: tmdb\n',
    );
  });
});
