import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  classifyHttpError,
  classifyHttpStatus,
  createHttpClient,
  describeRequest,
  parseRetryAfter,
} from '../../src/sources/http-client.js';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('HTTP client', () => {
  it('when Retry-After is seconds or an HTTP date, then it becomes milliseconds; anything else is ignored', () => {
    const now = Date.parse('2025-05-20T10:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Tue, 20 May 2025 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 20 May 2025 09:00:00 GMT', now)).toBe(0);
    expect([parseRetryAfter(undefined), parseRetryAfter('soon'), parseRetryAfter(['1'])]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('when a request is described, then the query string and any user:password are gone', () => {
    expect(describeRequest('get', '/find/tt0038297?external_source=imdb_id&api_key=SECRET')).toBe(
      'GET /find/tt0038297',
    );
    expect(describeRequest('get', 'https://user:SECRET@api.example.com/3/movie/1?api_key=SECRET')).toBe(
      'GET api.example.com/3/movie/1',
    );
    expect(describeRequest(undefined, '/?apikey=SECRET&i=tt1')).toBe('GET /');
  });

  it('when the status is 429 or 5xx, then it is transient; 429 carries Retry-After; 401 is auth_failed', () => {
    expect(classifyHttpStatus(429, { 'retry-after': '3' }, 'GET /x')).toMatchObject({
      kind: 'transient',
      status: 429,
      retryAfterMs: 3000,
    });
    expect(classifyHttpStatus(429, {}, 'GET /x')).not.toHaveProperty('retryAfterMs');
    expect(classifyHttpStatus(502, {}, 'GET /x')).toMatchObject({ kind: 'transient', status: 502 });
    expect(classifyHttpStatus(401, {}, 'GET /x')).toMatchObject({ kind: 'auth_failed' });
    expect(classifyHttpStatus(200, {}, 'GET /x')).toBeUndefined();
  });

  it('when the server refuses the connection, then the error is transient and names the code, not the URL or key', async () => {
    const port = await closedPort();
    const client = createHttpClient({ baseUrl: `http://127.0.0.1:${port}/3`, timeoutMs: 2000 });
    const error = await client.get('/find/tt1', { params: { api_key: 'SECRET-KEY' } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const failure = classifyHttpError(error);
    expect(failure).toMatchObject({
      kind: 'transient',
      message: 'GET /find/tt1 failed: network error ECONNREFUSED',
    });
    expect(failure.message).not.toContain('SECRET');
  });

  it('when the error is not from axios, then it is transient without leaking its message', () => {
    expect(
      classifyHttpError(
        Object.assign(new Error('connect to https://x?api_key=SECRET'), { code: 'ECONNRESET' }),
      ),
    ).toEqual({ kind: 'transient', message: 'request failed: network error ECONNRESET' });
    expect(classifyHttpError(new Error('https://x?api_key=SECRET')).message).not.toContain('SECRET');
  });
});
