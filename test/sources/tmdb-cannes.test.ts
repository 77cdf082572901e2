import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../src/twin/world-generator.js';
import { startTestTwin } from '../helpers/twin.js';
import { makeSource } from './source-harness.js';

/**
 * The TMDb adapter over a world built from the real Cannes lineup (read from the CSV at run
 * time): about half the films unlinked or absent on TMDb, decoys that share titles, remakes
 * and festival-year/release-year gaps. Figures go to the report; the test holds the line.
 */
describe('TMDb adapter over the Cannes lineup', () => {
  it('when resolving 150 nominated films, then every film TMDb has is found certain and right, in at most 3 calls on average', async () => {
    const world = generateWorld({ seed: 11, size: 150 });
    const twin = await startTestTwin({ world });
    const tmdb = makeSource('tmdb', twin);
    let known = 0;
    let calls = 0;
    const wrong: string[] = [];
    const notCertain: string[] = [];
    const phantom: string[] = [];
    for (const a of world.answers) {
      const query = {
        imdbId: a.imdbId,
        title: a.nomination.title,
        ...(a.nomination.originalTitle ? { originalTitle: a.nomination.originalTitle } : {}),
        year: a.nomination.year,
        directors: a.nomination.directors,
      };
      const outcome = await tmdb.lookup(query);
      if (!a.tmdbPresent) {
        if (outcome.kind === 'found' && outcome.certain) phantom.push(a.nomination.title);
        continue;
      }
      known += 1;
      calls += outcome.attempts.length;
      if (outcome.kind !== 'found' || !outcome.certain)
        notCertain.push(`${a.nomination.title} (${a.nomination.year}): ${outcome.kind}`);
      else if (outcome.movie.externalIds.tmdbId !== a.tmdbId)
        wrong.push(`${a.nomination.title} → ${outcome.movie.title}`);
    }
    expect(known).toBeGreaterThan(100);
    expect(wrong).toEqual([]);
    expect(phantom).toEqual([]);
    expect(notCertain).toEqual([]);
    expect(calls / known).toBeLessThanOrEqual(3);
  });
});
