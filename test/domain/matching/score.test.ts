import { describe, expect, it } from 'vitest';
import {
  decide,
  scoreCandidate,
  type MatchCandidate,
  type MatchTarget,
} from '../../../src/domain/matching/index.js';
import { foldDiacritics } from '../../../src/domain/matching/normalise.js';
import { cannesLineup } from '../../helpers/lineup.js';

const thresholds = { accept: 0.75, review: 0.6 };

function target(film: {
  title: string;
  originalTitle: string | null;
  editionYear: number;
  directors: string[];
}): MatchTarget {
  return {
    title: film.title,
    originalTitle: film.originalTitle ?? undefined,
    year: film.editionYear,
    directors: film.directors,
  };
}

describe('scoreCandidate', () => {
  it('when the candidate carries another IMDb ID than the nomination, then it is rejected whatever its title', () => {
    const scored = scoreCandidate(
      { title: 'Alpha', year: 2025, directors: ['Julia Ducournau'], imdbId: 'tt32275943' },
      { id: '1', title: 'Alpha', year: 2025, directors: ['Julia Ducournau'], imdbId: 'tt0000001' },
    );
    expect(scored.confidence).toBe(0);
    expect(scored.rejectedBecause).toBe('imdb_id_mismatch');
    expect(scored.evidence.imdbIdAgrees).toBe(false);
    expect(decide([scored], thresholds).kind).toBe('reject');
  });

  it('when the IMDb IDs agree, then confidence is 1 even with a translated title', () => {
    const scored = scoreCandidate(
      { title: 'Sentimental Value', year: 2025, directors: ['Joachim Trier'], imdbId: 'tt27714581' },
      { id: '2', title: 'Affeksjonsverdi', year: 2025, imdbId: 'tt27714581' },
    );
    expect(scored.confidence).toBe(1);
    expect(decide([scored], thresholds).kind).toBe('accept');
  });

  it('when a candidate lacks an IMDb ID, then it is scored on the other evidence, not rejected', () => {
    const scored = scoreCandidate(
      { title: 'Meteors', year: 2025, directors: ['Hubert Charuel'], imdbId: 'tt33772384' },
      { id: '3', title: 'Météors', year: 2025, directors: ['Hubert Charuel'], imdbId: null },
    );
    expect(scored.rejectedBecause).toBeUndefined();
    expect(scored.evidence.imdbIdAgrees).toBeNull();
    expect(scored.confidence).toBeGreaterThanOrEqual(thresholds.accept);
  });

  it('when a remake has the same title forty years later by another director, then it scores below review', () => {
    const scored = scoreCandidate(
      { title: 'Suspiria', year: 1977, directors: ['Dario Argento'] },
      { id: '4', title: 'Suspiria', year: 2018, directors: ['Luca Guadagnino'] },
    );
    expect(scored.evidence.titleSimilarity).toBe(1);
    expect(scored.confidence).toBeLessThan(thresholds.review);
  });

  it("when a candidate's original title is the nominated film's English title, then it is not accepted", () => {
    const scored = scoreCandidate(
      { title: 'The Lovers', originalTitle: 'Amanti in fuga', year: 1946, directors: ['Giacomo Gentilomo'] },
      { id: '5', title: 'The Lovers', originalTitle: 'The Lovers', year: 1947 },
    );
    expect(scored.evidence.matchedTitle).toBe('title');
    expect(scored.confidence).toBeLessThan(thresholds.accept);
  });

  it('when the right film is found through its alternative title, then the evidence says so', () => {
    const scored = scoreCandidate(
      { title: 'Leviafan', year: 2014, directors: ['Andrey Zvyagintsev'] },
      {
        id: '6',
        title: 'Leviathan',
        originalTitle: 'Левиафан',
        alternativeTitles: ['Leviatan'],
        year: 2014,
        directors: ['Andrei Zvyagintsev'],
      },
    );
    expect(['title', 'originalTitle']).toContain(scored.evidence.matchedTitle);
    expect(scored.evidence.directorOverlap).toBe(1);
    expect(scored.confidence).toBeGreaterThanOrEqual(thresholds.accept);
  });

  it('when every Cannes film meets a candidate with its own titles and directors, then each is accepted from either title', () => {
    const films = cannesLineup();
    expect(films.length).toBeGreaterThan(1000);
    for (const film of films) {
      const candidate: MatchCandidate = {
        id: film.imdbId ?? film.title,
        title: film.title,
        originalTitle: film.originalTitle ?? film.title,
        year: film.editionYear + 1,
        directors: film.directors,
      };
      const byEnglish = scoreCandidate({ ...target(film), originalTitle: undefined }, candidate);
      expect(byEnglish.confidence, film.title).toBeGreaterThanOrEqual(thresholds.accept);
      const original = film.originalTitle ?? film.title;
      const byOriginalWithoutDiacritics = scoreCandidate(
        { title: foldDiacritics(original), year: film.editionYear, directors: film.directors },
        candidate,
      );
      expect(byOriginalWithoutDiacritics.confidence, original).toBeGreaterThanOrEqual(thresholds.accept);
    }
  });

  it('when every Cannes film meets another film of its edition by other directors, then none reaches review', () => {
    const films = cannesLineup();
    let pairs = 0;
    for (const film of films) {
      // Four neighbours in the lineup's order keep the test fast; every film is still a target.
      const others = films
        .filter(
          (o) =>
            o.editionYear === film.editionYear &&
            o.imdbId !== film.imdbId &&
            !o.directors.some((d) => film.directors.includes(d)),
        )
        .slice(0, 4);
      for (const other of others) {
        const scored = scoreCandidate(target(film), {
          id: other.imdbId ?? other.title,
          title: other.title,
          originalTitle: other.originalTitle ?? other.title,
          year: other.editionYear,
          directors: other.directors,
        });
        expect(scored.confidence, `${film.title} / ${other.title}`).toBeLessThan(thresholds.review);
        pairs++;
      }
    }
    expect(pairs).toBeGreaterThan(4_000);
  });

  it('when only title and year speak and the year is off by one the wrong way, then a human confirms (review, not accept)', () => {
    const target: MatchTarget = { title: 'Distant', year: 2003, directors: [] };
    const earlier = scoreCandidate(target, { id: 'e', title: 'Distant', year: 2002 });
    const sameYear = scoreCandidate(target, { id: 's', title: 'Distant', year: 2003 });
    expect(earlier.confidence).toBeGreaterThanOrEqual(thresholds.review);
    expect(earlier.confidence).toBeLessThan(thresholds.accept);
    expect(sameYear.confidence).toBeGreaterThanOrEqual(thresholds.accept);
  });

  it('when the directors agree, then a year off by one or two still accepts', () => {
    const target: MatchTarget = { title: 'Uzak', year: 2003, directors: ['Nuri Bilge Ceylan'] };
    for (const year of [2001, 2002, 2005]) {
      expect(
        scoreCandidate(target, { id: String(year), title: 'Uzak', year, directors: ['Nuri Bilge Ceylan'] })
          .confidence,
        String(year),
      ).toBeGreaterThanOrEqual(thresholds.accept);
    }
  });

  it('when a title differs by a plural or a sequel word and nothing else speaks for it, then it does not reach accept', () => {
    const target: MatchTarget = { title: "The Angels' Share", year: 2012, directors: [] };
    for (const title of ["The Angels' Shares", "The Angels' Share II", "Return to The Angels' Share"]) {
      expect(scoreCandidate(target, { id: title, title, year: 2012 }).confidence, title).toBeLessThan(
        thresholds.accept,
      );
    }
  });
});
