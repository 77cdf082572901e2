import { describe, expect, it } from 'vitest';
import { rssSummary } from '../../bench/resolve-report.js';

const sample = (processed: number, rssMb: number) => ({ atMs: processed, processed, rssMb });

describe('rssSummary: RSS over the long run', () => {
  it('takes min, median and max of the samples after the warm-up only', () => {
    const samples = [sample(10, 900), sample(100, 300), sample(200, 500), sample(300, 400)];
    expect(rssSummary({ samples }, 100)).toEqual({ count: 3, min: 300, median: 400, max: 500 });
  });

  it('averages the two middle samples of an even count', () => {
    expect(
      rssSummary({ samples: [sample(1, 300), sample(2, 310), sample(3, 350), sample(4, 500)] })?.median,
    ).toBe(330);
  });

  it('has nothing to say without samples', () => {
    expect(rssSummary({ samples: [] })).toBeUndefined();
  });
});
