import { describe, expect, it } from 'vitest';
import type { ImportType } from '../../../src/domain/movie.js';
import { demoNames, newRunId, runIdOf } from '../../../src/ops/demo/demo-names.js';
import { goalFigures, renderGoals } from '../../../src/ops/demo/goals.js';
import type { Answer } from '../../../src/twin/world.js';

function answer(imdbId: string, known: Partial<Pick<Answer, 'tmdbPresent' | 'omdb' | 'imdb'>>): Answer {
  return {
    imdbId,
    tmdbId: 1,
    nomination: { title: imdbId, originalTitle: null, year: 2024, directors: [] },
    tmdbFindByImdbId: false,
    tmdbPresent: false,
    omdb: false,
    imdb: 'missing',
    ...known,
  };
}

describe('demo goals', () => {
  it('when a stub was known to some source, then it is a failure; a stub no source had is not, and cost divides by nominations and editions', () => {
    const published = [
      { nominationId: 'n1', answer: answer('tt0000001', { tmdbPresent: true }) },
      { nominationId: 'n2', answer: answer('tt0000002', { imdb: 'present' }) },
      { nominationId: 'n3', answer: answer('tt0000003', { imdb: 'blocked' }) },
      { nominationId: 'n4', answer: answer('tt0000004', { omdb: true }) },
    ];
    const nominations = [
      { nominationId: 'n1', festival: 'cannes_2024', movieKey: 'm1' },
      { nominationId: 'n2', festival: 'cannes_2024', movieKey: 'm2' },
      { nominationId: 'n3', festival: 'cannes_2025', movieKey: 'm3' },
    ];
    const importTypes = new Map<string, ImportType>([
      ['m1', 'full'],
      ['m2', 'stub'],
      ['m3', 'stub'],
    ]);
    const figures = goalFigures({ published, nominations, importTypes, costsUsd: [0.02, 0.001, 0.001] });
    // n2: stub although IMDb had it; n4: never recorded; n3: stub nobody could resolve.
    expect(figures).toMatchObject({
      nominations: 4,
      recorded: 3,
      failures: 2,
      unresolvable: 1,
      failureRate: 0.5,
      totalCostUsd: 0.022,
      editions: 2,
    });
    expect(figures.costPerNominationUsd).toBeCloseTo(0.0055, 10);
    expect(figures.costPerEditionUsd).toBeCloseTo(0.011, 10);
    expect(renderGoals(figures)).toMatch(/failure rate +50\.0 % +goal < 10\.0 % +MISS/);
    expect(renderGoals(figures)).toMatch(/cost per import +\$0\.0055 +goal < \$0\.0100 +PASS/);
  });

  it('when names of a run are built, then its database and every topic map back to its run id and nothing else does', () => {
    const runId = newRunId(new Date('2026-05-14T09:30:05Z'));
    expect(runId).toMatch(/^20260514_093005_[0-9a-f]{4}$/);
    const names = demoNames('demo', runId);
    for (const name of [names.database, ...Object.values(names.topics), names.groupId])
      expect(runIdOf('demo', name)).toBe(runId);
    expect(runIdOf('demo', 'festival_resolver')).toBeNull();
    expect(runIdOf('demo', `demotest1_${runId}`)).toBeNull();
    expect(runIdOf('demo', `demo.movies`)).toBeNull();
  });
});
