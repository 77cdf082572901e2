import { describe, expect, it } from 'vitest';
import { titleSimilarity } from '../../../src/domain/matching/similarity.js';

describe('titleSimilarity', () => {
  it('when titles differ only in transliteration or spelling, then they stay similar', () => {
    const pairs: [string, string][] = [
      ["Tchaikovsky's Wife", 'Tchaikovsky Wife'],
      ['Leviafan', 'Leviathan'],
      ['Letyat zhuravli', 'Letjat žuravli'],
      ['Khrustalyov, My Car!', 'Khroustaliov, My Car!'],
      ['Ballada o soldate', 'Баллада о солдате'],
      ['Dostoevsky', 'Dostoyevskiy'],
      ['Orfeu Negro', 'Orfeo negro'],
      ['The Cranes Are Flying', 'Cranes are flying'],
    ];
    for (const [a, b] of pairs) expect(titleSimilarity(a, b), `${a} / ${b}`).toBeGreaterThanOrEqual(0.85);
  });

  it('when one word differs or is missing, then similarity drops well below a match', () => {
    const pairs: [string, string][] = [
      ['Three Colours: Blue', 'Three Colours: White'],
      ['Lovers', 'The Lovers of the Arctic Circle'],
      ['2046', '2047'],
      ['Blue', 'Blur'],
      ['Winter Sleep', 'Kis Uykusu'],
      ['Part 2', 'Part 3'],
    ];
    for (const [a, b] of pairs) expect(titleSimilarity(a, b), `${a} / ${b}`).toBeLessThan(0.75);
  });

  it('when the comparison is reversed, then the similarity is the same', () => {
    expect(titleSimilarity('Leviathan', 'Leviafan')).toBe(titleSimilarity('Leviafan', 'Leviathan'));
  });

  it('when either title is empty, then similarity is 0', () => {
    expect(titleSimilarity('', 'Alpha')).toBe(0);
  });
});
