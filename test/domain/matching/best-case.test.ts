import { describe, expect, it } from 'vitest';
import { bestCaseConfidence, ownEvidenceAgrees } from '../../../src/domain/matching/best-case.js';
import { scoreCandidate } from '../../../src/domain/matching/score.js';
import type { MatchTarget } from '../../../src/domain/matching/types.js';

const target: MatchTarget = {
  title: 'The Salt Road',
  originalTitle: 'La Route du Sel',
  year: 2024,
  directors: ['Léa Moreau'],
  imdbId: 'tt1234567',
};

describe('bestCaseConfidence: what a candidate could still reach once its details are known', () => {
  it('when a search result has the title and year, then its best case is a certain match without an agreeing ID', () => {
    expect(bestCaseConfidence(target, { id: '1', title: 'The Salt Road', year: 2024 })).toBe(1);
  });

  it('when its details are known and its directors differ, then its best case is what it scores', () => {
    const candidate = {
      id: '2',
      title: 'The Salt Road',
      year: 2024,
      directors: ['Other Person'],
      imdbId: null,
    };
    expect(bestCaseConfidence(target, candidate)).toBe(scoreCandidate(target, candidate).confidence);
    expect(bestCaseConfidence(target, candidate)).toBeLessThan(0.75);
  });

  it('when its unknown IMDb ID could only disagree, then it does not lift it; a known agreeing ID does', () => {
    const weak = { id: '3', title: 'Road', year: 1990 };
    expect(bestCaseConfidence(target, weak)).toBeLessThan(0.75);
    expect(bestCaseConfidence(target, { ...weak, imdbId: 'tt1234567' })).toBe(1);
    expect(bestCaseConfidence(target, { ...weak, imdbId: 'tt7654321' })).toBe(0);
  });

  it('when the year is unknown, then it may still be the nomination year', () => {
    expect(bestCaseConfidence(target, { id: '4', title: 'La Route du Sel' })).toBe(1);
  });
});

describe('ownEvidenceAgrees: the title and year a candidate shows earn full credit', () => {
  const shown = (title: string, year?: number) =>
    ownEvidenceAgrees(scoreCandidate(target, { id: 'x', title, ...(year === undefined ? {} : { year }) }));

  it('when the title matches and the year is the nomination year, the next one or unknown, then yes', () => {
    expect(shown('The Salt Road', 2024)).toBe(true);
    expect(shown('La Route du Sel', 2025)).toBe(true);
    expect(shown('The Salt Road')).toBe(true);
  });

  it('when the year is off or the title only similar, then no', () => {
    expect(shown('The Salt Road', 2014)).toBe(false);
    expect(shown('Return to the Salt Road', 2024)).toBe(false);
  });
});
