import { describe, expect, it } from 'vitest';
import { readLineup } from '../../src/twin/lineup.js';
import { generateWorld } from '../../src/twin/world-generator.js';
import { parseWorld } from '../../src/twin/world.js';

const lineup = readLineup();

describe('world generator', () => {
  it('when the lineup CSV is read, then quoted lists stay in one column and every row has an IMDb ID', () => {
    expect(lineup.length).toBeGreaterThan(1000);
    const multi = lineup.find((f) => f.directors.length > 1 && f.languages.length > 1);
    expect(multi).toBeDefined();
    expect(lineup.every((f) => /^tt\d{7,10}$/.test(f.imdbId) && f.festivalYear >= 1946)).toBe(true);
  });

  it('when generated twice with the same seed, then the worlds are identical; another seed differs', () => {
    const a = generateWorld({ seed: 11, size: 120, lineup });
    expect(generateWorld({ seed: 11, size: 120, lineup })).toEqual(a);
    expect(generateWorld({ seed: 12, size: 120, lineup })).not.toEqual(a);
  });

  it('when generated with default ratios, then the gaps resemble recent festival films', () => {
    const world = generateWorld({ seed: 5, size: 600, lineup });
    const answers = world.answers;
    expect(answers).toHaveLength(600);
    const misses = answers.filter((a) => !a.tmdbFindByImdbId);
    const share = (n: number, of: number) => n / of;
    expect(share(misses.length, answers.length)).toBeGreaterThan(0.4);
    expect(share(misses.length, answers.length)).toBeLessThan(0.6);
    expect(share(misses.filter((a) => a.tmdbPresent).length, misses.length)).toBeGreaterThan(0.5);
    expect(share(misses.filter((a) => a.omdb).length, misses.length)).toBeGreaterThan(0.05);
    expect(share(misses.filter((a) => a.omdb).length, misses.length)).toBeLessThan(0.25);
    expect(share(answers.filter((a) => a.imdb === 'present').length, answers.length)).toBeGreaterThan(0.9);
    expect(answers.some((a) => a.imdb === 'blocked')).toBe(true);
    expect(answers.some((a) => a.imdb === 'missing')).toBe(true);
  });

  it('when decoys are made, then every kind exists, no nomination targets them and all IDs are distinct', () => {
    const world = generateWorld({ seed: 5, size: 300, lineup });
    const decoys = world.films.filter((f) => f.decoy);
    const kinds = new Set(decoys.map((d) => d.decoyKind));
    expect([...kinds].sort()).toEqual([
      'english-is-original',
      'remake',
      'same-title-other-year',
      'similar-title',
    ]);
    const targeted = new Set(world.answers.map((a) => a.imdbId));
    expect(decoys.some((d) => targeted.has(d.imdbId))).toBe(false);
    expect(() => parseWorld(world)).not.toThrow();
    const byId = new Map(world.films.map((f) => [f.imdbId, f]));
    for (const decoy of decoys.filter((d) => d.decoyKind === 'remake')) {
      const target = byId.get(decoy.decoyOf!)!;
      expect(decoy.title).toBe(target.title);
      expect(Math.abs(decoy.releaseYear - target.releaseYear)).toBeGreaterThanOrEqual(18);
    }
    for (const decoy of decoys.filter((d) => d.decoyKind === 'english-is-original')) {
      expect(decoy.originalTitle).toBe(byId.get(decoy.decoyOf!)!.title);
    }
  });
});
