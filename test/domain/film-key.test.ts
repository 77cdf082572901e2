import { describe, expect, it } from 'vitest';
import { filmKey, normalizeTitleForKey } from '../../src/domain/film-key.js';
import { cannesLineup } from '../helpers/lineup.js';

describe('film key', () => {
  it('when the film has a valid IMDb ID, then the key is the ID', () => {
    expect(filmKey({ imdbId: 'tt0111161', title: 'Anything', year: 1994 })).toBe('tt0111161');
  });

  it('when the film has no IMDb ID or an invalid one, then the key is the normalised title and year', () => {
    expect(filmKey({ imdbId: null, title: 'Amélie', year: 2001 })).toBe('title:amelie:2001');
    expect(filmKey({ imdbId: 'nm0000001', title: 'Amélie', year: 2001 })).toBe('title:amelie:2001');
    expect(filmKey({ title: 'Amélie' })).toBe('title:amelie:unknown');
  });

  it('when titles differ only in case, diacritics, apostrophes and punctuation, then they normalise alike', () => {
    expect(normalizeTitleForKey("L'Avventura")).toBe(normalizeTitleForKey('LAVVENTURA'));
    expect(normalizeTitleForKey('Smultronstället')).toBe('smultronstallet');
    expect(normalizeTitleForKey('  Sex, Lies,   and Videotape ')).toBe('sex lies and videotape');
    expect(normalizeTitleForKey('Die Blechtrommel – Straße')).toBe('die blechtrommel strasse');
    expect(normalizeTitleForKey('Ladri di biciclette!')).toBe('ladri di biciclette');
  });

  it('when non-Latin titles are normalised, then their letters are kept', () => {
    expect(normalizeTitleForKey('Тарас Бульба')).toBe('тарас бульба');
    expect(normalizeTitleForKey('東京物語')).toBe('東京物語');
  });

  it('when every original title of the Cannes lineup is keyed, then no key is empty and titles differing only in accents collide', () => {
    const titles = cannesLineup().map((f) => f.originalTitle ?? f.title);
    for (const t of titles) expect(normalizeTitleForKey(t).length, t).toBeGreaterThan(0);
    const accented = titles.filter((t) => t.normalize('NFKD') !== t);
    expect(accented.length).toBeGreaterThan(10);
    for (const t of accented)
      expect(normalizeTitleForKey(t)).toBe(normalizeTitleForKey(t.normalize('NFKD').replace(/\p{M}/gu, '')));
  });
});
