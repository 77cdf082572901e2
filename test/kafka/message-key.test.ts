import { describe, expect, it } from 'vitest';
import { nominationKey } from '../../src/kafka/message-key.js';
import { cannesNominations } from '../helpers/lineup.js';

describe('nomination message key', () => {
  it('when a nomination carries an IMDb ID, then the key is that ID', () => {
    for (const n of cannesNominations(2019)) expect(nominationKey(n)).toBe(n.film.imdbId);
  });

  it('when the same film arrives without an ID under different spellings, then the keys agree', () => {
    const [n] = cannesNominations(1960);
    const film = { ...n!.film, imdbId: null };
    const shouted = { ...film, title: `  ${film.title.toUpperCase()}!! ` };
    expect(nominationKey({ film })).toBe(nominationKey({ film: shouted }));
    expect(nominationKey({ film })).toMatch(/^title:[^:]+:1960$/);
  });
});
