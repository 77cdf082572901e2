import { describe, expect, it } from 'vitest';
import {
  defaultEnrichmentSchedule,
  isDue,
  minimumInterval,
  nextAttemptAt,
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

describe('nextAttemptAt', () => {
  it('when a record was tried at any age, then nextAttemptAt is the first instant isDue turns true', () => {
    const hour = 3600 * 1000;
    const created = new Date('2026-01-01T00:00:00Z');
    // Ages at the last attempt around every band edge (1 day, 7 days, 30 days) and inside each band.
    const ages = [0, 0.5, 20, 23.5, 24, 30, 100, 160, 167, 168, 400, 700, 719, 720, 2000].map(
      (h) => h * hour,
    );
    for (const age of ages) {
      const last = new Date(created.getTime() + age);
      const next = nextAttemptAt(created, last);
      expect(isDue(next, created, last), `age ${age / hour} h`).toBe(true);
      expect(isDue(new Date(next.getTime() - 1), created, last), `age ${age / hour} h`).toBe(false);
    }
    expect(nextAttemptAt(created, undefined)).toEqual(created);
  });
});
