import { describe, expect, it } from 'vitest';
import { ensureIndexes } from '../../src/persistence/indexes.js';
import { MoviesRepository } from '../../src/persistence/movies-repository.js';
import { NominationsRepository } from '../../src/persistence/nominations-repository.js';
import { ReviewQueueRepository, type ReviewItem } from '../../src/persistence/review-queue-repository.js';
import { renderReviewList } from '../../src/ops/review/render.js';
import {
  dismissReview,
  resolveReview,
  showReview,
  type ReviewDeps,
} from '../../src/ops/review/review-actions.js';
import type { CandidateSummary } from '../../src/sources/outcome.js';
import { testDb } from '../helpers/mongo.js';
import { testServices } from '../helpers/services.js';
import { runCli } from './run-cli.js';

const day = 86_400_000;
const now = new Date();
const longAgo = new Date(now.getTime() - 40 * day);
const candidate: CandidateSummary = {
  source: 'tmdb',
  id: '1220564',
  title: 'The Secret Agent',
  year: 2025,
  confidence: 0.55,
};

async function fixture() {
  const { db } = await testDb('ops_review');
  await ensureIndexes(db);
  const enriched: string[] = [];
  const deps: ReviewDeps = {
    reviews: new ReviewQueueRepository(db),
    movies: new MoviesRepository(db),
    nominations: new NominationsRepository(db),
    enrich: (key) => {
      enriched.push(key);
      return Promise.resolve('unchanged');
    },
  };
  // A low-confidence film stored as a title-keyed stub, and a stub that every tier failed 40 days ago.
  const agent = await deps.movies.upsertStub({ imdbId: null, title: 'O Agente Secreto', year: 2025 }, now);
  await deps.reviews.open({
    movieKey: agent.document.key,
    reason: 'low_confidence',
    candidates: [candidate],
    nominationIds: ['cannes_2025:competition:agent'],
    now,
  });
  const old = await deps.movies.upsertStub({ imdbId: 'tt0000042', title: 'Lost Film', year: 1950 }, longAgo);
  await deps.reviews.open({
    movieKey: old.document.key,
    reason: 'all_sources_failed',
    nominationIds: ['cannes_1950:competition:lost'],
    now: longAgo,
  });
  await deps.reviews.escalateStaleStubs(now, 30);
  return { db, deps, enriched, agentKey: agent.document.key, oldKey: old.document.key };
}

const keys = (items: ReviewItem[]) => items.map((i) => i.movieKey);

describe('review actions on a real database', () => {
  it('when a curator resolves an item, then the movie is locked with the chosen ID, enrichment is asked for, and the item leaves the open list', async () => {
    const { deps, enriched, agentKey, oldKey } = await fixture();
    expect(keys(await deps.reviews.list())).toEqual([oldKey, agentKey]);
    expect(renderReviewList(await deps.reviews.list(), now)).toMatch(/tt0000042 .*ESCALATED/);

    const outcome = await resolveReview(deps, agentKey, { imdbId: 'tt27847051', by: 'ana' }, now);
    expect(outcome.enrichment).toBe('requested');
    expect(enriched).toEqual([agentKey]);
    const movie = await deps.movies.get(agentKey);
    expect(movie).toMatchObject({ imdbId: 'tt27847051' });
    expect(movie?.locked).toEqual(expect.arrayContaining(['match', 'imdbId']));
    expect(keys(await deps.reviews.list())).toEqual([oldKey]);
    expect(await deps.reviews.list({ status: 'resolved' })).toMatchObject([
      { movieKey: agentKey, resolution: { imdbId: 'tt27847051', by: 'ana' } },
    ]);
    await expect(resolveReview(deps, agentKey, { imdbId: 'tt27847051', by: 'ana' })).rejects.toThrow(
      /no open review item/,
    );
  });

  it('when a decision is malformed or the enrichment fails, then nothing is half done', async () => {
    const { deps, agentKey } = await fixture();
    await expect(resolveReview(deps, agentKey, { imdbId: 'nm0000001', by: 'ana' })).rejects.toThrow(
      /--imdb must look like/,
    );
    await expect(resolveReview(deps, agentKey, { by: 'ana' })).rejects.toThrow(/--imdb tt… or --tmdb N/);
    expect((await deps.movies.get(agentKey))?.locked).toEqual([]);
    expect((await deps.reviews.get(agentKey))?.status).toBe('open');

    const failing: ReviewDeps = { ...deps, enrich: () => Promise.reject(new Error('tmdb down')) };
    const outcome = await resolveReview(failing, agentKey, { tmdbId: 1220564, by: 'ana' });
    expect(outcome).toMatchObject({
      enrichment: 'failed',
      enrichmentError: 'tmdb down',
      movie: { tmdbId: 1220564 },
    });
    expect((await deps.reviews.get(agentKey))?.status).toBe('resolved');
  });

  it('when an escalated item is dismissed, then it leaves the open and escalated lists and show tells its story', async () => {
    const { deps, oldKey, agentKey } = await fixture();
    expect(keys(await deps.reviews.list({ escalated: true }))).toEqual([oldKey]);
    await dismissReview(deps, oldKey);
    expect(keys(await deps.reviews.list({ escalated: true }))).toEqual([]);
    expect(keys(await deps.reviews.list())).toEqual([agentKey]);
    const shown = await showReview(deps, oldKey);
    expect(shown).toMatchObject({
      item: { status: 'dismissed' },
      movie: { key: oldKey, importType: 'stub' },
    });
    await expect(dismissReview(deps, oldKey)).rejects.toThrow(/no open review item/);
  });

  it('when the review CLI runs against the database, then list shows the escalation and resolve locks the movie', async () => {
    const { db, deps, agentKey, oldKey } = await fixture();
    const env = { MONGODB_URI: testServices().mongoUri, MONGODB_DATABASE: db.databaseName };

    const list = await runCli(['review', 'list', '--escalated', '--json'], env);
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as ReviewItem[]).map((i) => i.movieKey)).toEqual([oldKey]);
    const table = await runCli(['review', 'list'], env);
    expect(table.stdout).toMatch(/ESCALATED/);
    expect(table.stdout).toContain(agentKey);

    const resolved = await runCli(
      ['review', 'resolve', agentKey, '--tmdb', '1220564', '--by', 'ana', '--no-enrich'],
      env,
    );
    expect(resolved.stderr).toBe('');
    expect(resolved.stdout).toContain(`resolved ${agentKey}`);
    expect((await deps.movies.get(agentKey))?.locked).toEqual(expect.arrayContaining(['match', 'tmdbId']));

    const bad = await runCli(['review', 'list', '--status', 'closed'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--status must be one of open, resolved, dismissed/);
  }, 90_000);
});
