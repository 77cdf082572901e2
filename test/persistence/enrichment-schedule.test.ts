import { describe, expect, it } from 'vitest';
import {
  defaultEnrichmentSchedule,
  isDue,
  minimumInterval,
} from '../../src/persistence/enrichment-schedule.js';

const hour = 3600 * 1000;
const day = 24 * hour;

describe('enrichment schedule', () => {
  it('when a record ages, then the interval between attempts grows: 1 h, 6 h, 1 day, 1 week', () => {
    expect(
      [0, 2 * day, 10 * day, 400 * day].map((age) => minimumInterval(age, defaultEnrichmentSchedule)),
    ).toEqual([hour, 6 * hour, day, 7 * day]);
  });

  it('when a record was never tried, then it is due; when tried within its interval, then it is not', () => {
    const now = new Date('2026-11-23T12:00:00Z');
    const created = new Date(now.getTime() - 2 * day);
    expect(isDue(now, created, undefined)).toBe(true);
    expect(isDue(now, created, new Date(now.getTime() - 5 * hour))).toBe(false);
    expect(isDue(now, created, new Date(now.getTime() - 6 * hour))).toBe(true);
  });
});
