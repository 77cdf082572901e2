import { describe, expect, it } from 'vitest';
import { parseDuration, since } from '../../src/ops/duration.js';
import { matchesFilters, parseDlqFilter } from '../../src/ops/replay/dlq-filter.js';
import { replayHeaders } from '../../src/ops/replay/replay-dlq.js';
import { formatTable, percent, usd } from '../../src/ops/table.js';

describe('ops helpers', () => {
  it('when a window is written as 30d, 12h or 90m, then it becomes milliseconds; anything else is refused', () => {
    expect(parseDuration('30d')).toBe(30 * 86_400_000);
    expect(parseDuration('12h')).toBe(12 * 3_600_000);
    expect(parseDuration('90m')).toBe(90 * 60_000);
    expect(since('1h', new Date('2026-01-01T12:00:00Z')).toISOString()).toBe('2026-01-01T11:00:00.000Z');
    expect(() => parseDuration('30')).toThrow(/30d, 12h or 90m/);
    expect(() => parseDuration('2w')).toThrow(/30d, 12h or 90m/);
  });

  it('when rows are tabulated, then columns are padded, numbers right-aligned and shares shown as percentages', () => {
    const table = formatTable(
      ['source', 'attempts', 'rate'],
      [
        ['tmdb', 105, percent(88, 105)],
        ['imdb', 3, percent(0, 0)],
      ],
    );
    expect(table.split('\n')).toEqual([
      'source  attempts   rate',
      '------  --------  -----',
      'tmdb         105  83.8%',
      'imdb           3      –',
    ]);
    expect(usd(0.069)).toBe('$0.0690');
  });

  it('when filters are combined, then a dead letter must match all of them, case-insensitively', () => {
    const headers = { 'x-dlq-reason': 'film.title starts with "$"', 'x-dlq-error-code': 'INVALID_FIELD' };
    expect(
      matchesFilters(headers, [parseDlqFilter('code=invalid_field'), parseDlqFilter('reason~TITLE')]),
    ).toBe(true);
    expect(
      matchesFilters(headers, [parseDlqFilter('code=invalid_field'), parseDlqFilter('reason~year')]),
    ).toBe(false);
    expect(matchesFilters(headers, [])).toBe(true);
  });

  it('when a dead letter is replayed, then retry and dead-letter headers are dropped and its origin is kept', () => {
    const headers = replayHeaders(
      {
        partition: 1,
        offset: '7',
        key: null,
        value: null,
        reason: 'r',
        code: 'c',
        headers: {
          traceparent: 't',
          'x-retry-attempt': '3',
          'x-dlq-reason': 'r',
          'x-original-topic': 'in',
          'x-original-offset': '41',
        },
      },
      'in.dlq',
    );
    expect(headers).toEqual({
      traceparent: 't',
      'x-replayed-from-dlq': 'in.dlq/1/7',
      'x-original-offset': '41',
    });
  });
});
