import { describe, expect, it } from 'vitest';
import { nextRedrive, type RedriveOutlook } from '../../src/resolver/park-outlook.js';

const now = 1_000_000_000_000;
const parkedAt = new Date(now - 60_000);
const outlook = (o: Partial<RedriveOutlook>): RedriveOutlook => ({
  source: 'tmdb',
  circuitOpen: false,
  circuitWaitMs: 0,
  lastSuccessAt: 0,
  nextPassAt: now + 10_000,
  intervalMs: 60_000,
  batch: 2,
  ...o,
});

describe('next automatic re-drive', () => {
  it('when the source answered since the oldest was parked, then the next pass takes it, and a later one beyond the batch', () => {
    const healthy = outlook({ lastSuccessAt: now - 1000 });
    expect(nextRedrive(healthy, { position: 1, oldestParkedAt: parkedAt }, now)).toEqual({
      kind: 'next_pass',
      notBefore: new Date(now + 10_000),
    });
    expect(nextRedrive(healthy, { position: 2, oldestParkedAt: parkedAt }, now).notBefore).toEqual(
      new Date(now + 70_000),
    );
  });

  it('when the source has not answered since, then the oldest goes at the next pass as the probe and the rest a pass later', () => {
    const silent = outlook({ lastSuccessAt: parkedAt.getTime() - 1 });
    expect(nextRedrive(silent, { position: 0, oldestParkedAt: parkedAt }, now)).toEqual({
      kind: 'probe',
      notBefore: new Date(now + 10_000),
    });
    expect(nextRedrive(silent, { position: 3, oldestParkedAt: parkedAt }, now)).toEqual({
      kind: 'after_probe',
      notBefore: new Date(now + 70_000),
    });
  });

  it('when the circuit is open, then nothing goes before the first pass after it lets a trial through', () => {
    const open = outlook({ circuitOpen: true, circuitWaitMs: 75_000 });
    // Passes at +10 s, +70 s, +130 s: the circuit lets a trial through at +75 s.
    expect(nextRedrive(open, { position: 0, oldestParkedAt: parkedAt }, now)).toEqual({
      kind: 'circuit_open',
      notBefore: new Date(now + 130_000),
    });
    expect(nextRedrive(open, { position: 1, oldestParkedAt: parkedAt }, now).notBefore).toEqual(
      new Date(now + 190_000),
    );
  });
});
