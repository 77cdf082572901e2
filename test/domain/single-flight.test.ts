import { describe, expect, it } from 'vitest';
import { SingleFlight } from '../../src/domain/single-flight.js';

describe('SingleFlight', () => {
  it('when calls with one key overlap, then the work runs once and all get its result', async () => {
    const flight = new SingleFlight<number>();
    let runs = 0;
    let release: (v: number) => void = () => undefined;
    const work = () => {
      runs += 1;
      return new Promise<number>((resolve) => (release = resolve));
    };
    const calls = [flight.run('tt0038297', work), flight.run('tt0038297', work), flight.run('tt0038297', work)];
    release(42);
    expect(await Promise.all(calls)).toEqual([42, 42, 42]);
    expect(runs).toBe(1);
    expect(flight.size).toBe(0);
  });

  it('when keys differ, then each runs its own work', async () => {
    const flight = new SingleFlight<string>();
    const results = await Promise.all([flight.run('a', () => Promise.resolve('A')), flight.run('b', () => Promise.resolve('B'))]);
    expect(results).toEqual(['A', 'B']);
  });

  it('when the work fails, then every waiter sees the failure and the key is free again', async () => {
    const flight = new SingleFlight<number>();
    await expect(Promise.all([flight.run('k', () => Promise.reject(new Error('boom'))), flight.run('k', () => Promise.resolve(1))])).rejects.toThrow('boom');
    expect(await flight.run('k', () => Promise.resolve(2))).toBe(2);
  });
});
