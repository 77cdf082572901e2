import { describe, expect, it } from 'vitest';
import { directorOverlap, sameDirector } from '../../../src/domain/matching/directors.js';

describe('director evidence', () => {
  it('when names differ by initials, order, hyphens, diacritics or romanisation, then they are the same director', () => {
    const pairs: [string, string][] = [
      ['J. Lee Thompson', 'J Lee Thompson'],
      ['Hirokazu Kore-eda', 'Kore-eda Hirokazu'],
      ['Bong Joon Ho', 'Bong Joon-ho'],
      ['Andrei Tarkovsky', 'Andrey Tarkovskiy'],
      ['Krzysztof Kieślowski', 'Krzysztof Kieslowski'],
      ['Jean-Luc Godard', 'J.-L. Godard'],
      ['Wong Kar-wai', 'Kar-wai Wong'],
      ['Nuri Bilge Ceylan', 'Nuri Ceylan'],
      ['C. Honoré', 'Christophe Honoré'],
    ];
    for (const [a, b] of pairs) expect(sameDirector(a, b), `${a} / ${b}`).toBe(true);
  });

  it('when names belong to other people, then they are not the same director', () => {
    const pairs: [string, string][] = [
      ['Joel Coen', 'Ethan Coen'],
      ['Ken Loach', 'Ken Russell'],
      ['Jean Renoir', 'Jean Rouch'],
      ['J. Lee Thompson', 'Peter Thompson'],
    ];
    for (const [a, b] of pairs) expect(sameDirector(a, b), `${a} / ${b}`).toBe(false);
  });

  it('when one list names some of the other list, then overlap is measured against the shorter list', () => {
    expect(directorOverlap(['Joel Coen', 'Ethan Coen'], ['Ethan Coen'])).toBe(1);
    expect(directorOverlap(['Joel Coen', 'Ethan Coen'], ['Ethan Coen', 'Someone Else'])).toBe(0.5);
    expect(directorOverlap(['Ken Loach'], ['Ken Russell'])).toBe(0);
  });

  it('when either side names no director, then overlap is unknown, not zero', () => {
    expect(directorOverlap([], ['Ken Loach'])).toBeNull();
    expect(directorOverlap(['Ken Loach'], undefined)).toBeNull();
    expect(directorOverlap(['Ken Loach'], [' '])).toBeNull();
  });
});
