import { describe, expect, it } from 'vitest';
import { testDb } from '../helpers/mongo.js';
import { ensureIndexes } from '../../src/persistence/indexes.js';
import {
  LookupMetricsRepository,
  attemptRecordFrom,
} from '../../src/persistence/lookup-metrics-repository.js';

describe('LookupMetricsRepository', () => {
  it('when an attempt is recorded, then the stored document has exactly the snake_case fields of DESIGN.md §4', async () => {
    const { db } = await testDb('metrics');
    await ensureIndexes(db);
    const repo = new LookupMetricsRepository(db);
    const record = attemptRecordFrom(
      {
        source: 'omdb',
        operation: 'lookup_by_id',
        identifier: 'tt0111161',
        strategy: 'imdb_id',
        success: false,
        responseTimeMs: 321,
        costUsd: 0.001,
        status: 200,
        errorMessage: 'Movie not found!',
      },
      {
        fallback_level: 2,
        movie_found: false,
        movie_created: false,
        source_hierarchy: ['tmdb', 'omdb'],
        festival: 'cannes_2025',
        reason_for_fallback: 'tmdb_not_found',
      },
    );
    expect(await repo.recordAttempt({ ...record, insertedAt: new Date('2026-11-23T10:00:00Z') })).toBe(true);
    const doc = await db.collection('api_lookup_metrics').findOne({}, { projection: { _id: 0 } });
    expect(doc).toEqual({
      source: 'omdb',
      operation: 'lookup_by_id',
      identifier: 'tt0111161',
      success: false,
      response_time_ms: 321,
      error_message: 'Movie not found!',
      metadata: {
        strategy: 'imdb_id',
        fallback_level: 2,
        confidence: null,
        cost_usd: 0.001,
        movie_found: false,
        movie_created: false,
        import_type: null,
        source_hierarchy: ['tmdb', 'omdb'],
        festival: 'cannes_2025',
        reason_for_fallback: 'tmdb_not_found',
      },
      inserted_at: new Date('2026-11-23T10:00:00Z'),
    });
  });

  it('when the same attempt id is recorded twice, then one document exists and the second call says so', async () => {
    const { db } = await testDb('metrics');
    await ensureIndexes(db);
    const repo = new LookupMetricsRepository(db);
    const record = {
      attemptId: 'n-1:tmdb:0',
      source: 'tmdb' as const,
      operation: 'find',
      identifier: 'tt1',
      success: true,
      responseTimeMs: 12,
      metadata: { strategy: 'imdb_id' },
    };
    expect(await repo.recordAttempt(record)).toBe(true);
    expect(await repo.recordAttempt(record)).toBe(false);
    expect(await repo.recordAttempts([record, { ...record, attemptId: 'n-1:tmdb:1' }])).toBe(1);
    expect(await db.collection('api_lookup_metrics').countDocuments()).toBe(2);
  });

  it('when attempts of several sources and festivals exist, then find filters by source, festival and time', async () => {
    const { db } = await testDb('metrics');
    await ensureIndexes(db);
    const repo = new LookupMetricsRepository(db);
    const base = { operation: 'search', identifier: 'x', success: true, responseTimeMs: 5 };
    await repo.recordAttempt({
      ...base,
      source: 'tmdb',
      metadata: { festival: 'cannes_2025' },
      insertedAt: new Date('2026-11-01T00:00:00Z'),
    });
    await repo.recordAttempt({
      ...base,
      source: 'tmdb',
      metadata: { festival: 'venice_2025' },
      insertedAt: new Date('2026-11-20T00:00:00Z'),
    });
    await repo.recordAttempt({
      ...base,
      source: 'imdb',
      metadata: { festival: 'cannes_2025' },
      insertedAt: new Date('2026-11-21T00:00:00Z'),
    });
    expect(await repo.find({ source: 'tmdb' })).toHaveLength(2);
    expect(await repo.find({ festival: 'cannes_2025' })).toHaveLength(2);
    expect((await repo.find({ since: new Date('2026-11-10T00:00:00Z') })).map((d) => d.source)).toEqual([
      'imdb',
      'tmdb',
    ]);
  });
});
