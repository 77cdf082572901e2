import { describe, expect, it } from 'vitest';
import { yearDistance, yearScore } from '../../../src/domain/matching/year.js';

describe('year evidence', () => {
  it('when the candidate is released in the festival year or the next, then it gets full credit; further away, steeply less; six or more years off, evidence against', () => {
    const table: [number, number][] = [
      [0, 1],
      [1, 1],
      [-1, 0.5],
      [2, 0.5],
      [-2, 0.35],
      [3, 0.35],
      [4, 0.1],
      [-4, 0.1],
      [5, 0.1],
      [-5, -0.4],
      [6, -0.4],
      [-6, -0.4],
      [-40, -0.4],
      [40, -0.4],
    ];
    for (const [distance, credit] of table) expect(yearScore(distance), `distance ${distance}`).toBe(credit);
  });

  it('when either year is unknown, then the distance is null; otherwise it is candidate minus target', () => {
    expect(yearDistance(2019, undefined)).toBeNull();
    expect(yearDistance(undefined, 2019)).toBeNull();
    expect(yearDistance(2019, 2020)).toBe(1);
    expect(yearDistance(2019, 2018)).toBe(-1);
  });
});
