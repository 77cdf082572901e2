import { describe, expect, it } from 'vitest';
import { SingleFlight } from '../../src/domain/single-flight.js';

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SingleFlight', () => {
  it('when the same key is asked for concurrently, then the work runs once and every caller gets its result', async () => {
    const flight = new SingleFlight<string>();
    const gate = deferred<string>();
    let runs = 0;
    const work = () => {
      runs += 1;
      return gate.promise;
    };
    const calls = [
      flight.run('tt0111161', work),
      flight.run('tt0111161', work),
      flight.run('tt0111161', work),
    ];
    gate.resolve('found');
    expect(await Promise.all(calls)).toEqual(['found', 'found', 'found']);
    expect(runs).toBe(1);
  });

  it('when different keys are asked for, then each runs its own work', async () => {
    const flight = new SingleFlight<string>();
    const results = await Promise.all([
      flight.run('a', () => Promise.resolve('A')),
      flight.run('b', () => Promise.resolve('B')),
    ]);
    expect(results).toEqual(['A', 'B']);
  });

  it('when the shared work fails, then every caller sees the failure and the next call runs again', async () => {
    const flight = new SingleFlight<string>();
    const gate = deferred<string>();
    const first = flight.run('k', () => gate.promise);
    const second = flight.run('k', () => Promise.resolve('not used'));
    gate.reject(new Error('upstream down'));
    await expect(first).rejects.toThrow('upstream down');
    await expect(second).rejects.toThrow('upstream down');
    expect(flight.size).toBe(0);
    expect(await flight.run('k', () => Promise.resolve('later'))).toBe('later');
  });

  it('when work settles, then its key is forgotten (results are not cached)', async () => {
    const flight = new SingleFlight<number>();
    let runs = 0;
    await flight.run('k', () => Promise.resolve(++runs));
    await flight.run('k', () => Promise.resolve(++runs));
    expect(runs).toBe(2);
  });
});
