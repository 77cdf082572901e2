import { describe, expect, it } from 'vitest';
import { decide, scoreCandidate, type MatchTarget } from '../../../src/domain/matching/index.js';

const thresholds = { accept: 0.75, review: 0.6 };
const nominated: MatchTarget = { title: 'The Girls We Want', year: 2025, directors: ['Ola Nordmann'] };

describe('decide', () => {
  it('when two films share the title one year apart and no directors are known, then a human chooses (ambiguous)', () => {
    const a = scoreCandidate(nominated, { id: 'a', title: 'The Girls We Want', year: 2025 });
    const b = scoreCandidate(nominated, { id: 'b', title: 'The Girls We Want', year: 2026 });
    const decision = decide([a, b], thresholds);
    expect(decision.kind).toBe('review');
    if (decision.kind !== 'review') return;
    expect(decision.reason).toBe('ambiguous');
    expect(decision.ambiguous).toBe(true);
  });

  it('when directors then tell the two apart, then the right one is accepted', () => {
    const a = scoreCandidate(nominated, {
      id: 'a',
      title: 'The Girls We Want',
      year: 2025,
      directors: ['Ola Nordmann'],
    });
    const b = scoreCandidate(nominated, {
      id: 'b',
      title: 'The Girls We Want',
      year: 2026,
      directors: ['Kari Nordmann'],
    });
    const decision = decide([b, a], thresholds);
    expect(decision.kind).toBe('accept');
    expect(decision.best?.candidate.id).toBe('a');
  });

  it('when the same candidate comes back from two strategies, then it does not compete with itself', () => {
    const a = scoreCandidate(nominated, { id: 'a', title: 'The Girls We Want', year: 2025 });
    expect(decide([a, { ...a }], thresholds).kind).toBe('accept');
  });

  it('when the best candidate is between review and accept, then it goes to review for low confidence', () => {
    const weak = scoreCandidate(nominated, { id: 'w', title: 'The Girls We Want', year: 2029 });
    expect(weak.confidence).toBeGreaterThanOrEqual(thresholds.review);
    expect(weak.confidence).toBeLessThan(thresholds.accept);
    const decision = decide([weak], thresholds);
    expect(decision).toMatchObject({ kind: 'review', reason: 'low_confidence', ambiguous: false });
  });

  it('when nothing reaches review, then the decision is reject and still names the best candidate', () => {
    const poor = scoreCandidate(nominated, { id: 'p', title: 'Something Else Entirely', year: 1990 });
    const decision = decide([poor], thresholds);
    expect(decision.kind).toBe('reject');
    expect(decision.best?.candidate.id).toBe('p');
    expect(decide([], thresholds)).toEqual({ kind: 'reject' });
  });

  it('when the IMDb IDs agree, then a close runner-up does not make it ambiguous', () => {
    const target = { ...nominated, imdbId: 'tt36164712' };
    const a = scoreCandidate(target, {
      id: 'a',
      title: 'The Girls We Want',
      year: 2025,
      imdbId: 'tt36164712',
    });
    const b = scoreCandidate(target, { id: 'b', title: 'The Girls We Want', year: 2025 });
    expect(decide([b, a], thresholds)).toMatchObject({ kind: 'accept', best: { candidate: { id: 'a' } } });
  });

  it('when title and year agree but the directors contradict, then it is never accepted, whatever the threshold, unless the IMDb ID agrees', () => {
    const target: MatchTarget = { title: 'Parthenope', year: 2024, directors: ['Paolo Sorrentino'] };
    const other = scoreCandidate(target, {
      id: 'x',
      title: 'Parthenope',
      year: 2024,
      directors: ['Someone Else'],
    });
    expect(other.evidence.directorOverlap).toBe(0);
    const lenient = { accept: Math.min(other.confidence, 0.6), review: Math.min(other.confidence, 0.5) };
    expect(decide([other], lenient)).toMatchObject({ kind: 'review', reason: 'low_confidence' });
    const sameId = scoreCandidate(
      { ...target, imdbId: 'tt14256034' },
      { id: 'y', title: 'Parthenope', year: 2024, directors: ['Someone Else'], imdbId: 'tt14256034' },
    );
    expect(decide([sameId], thresholds)).toMatchObject({ kind: 'accept' });
  });
});
