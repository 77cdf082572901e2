import axios, { AxiosError, type AxiosInstance } from 'axios';

/** Settings of one source's HTTP client. */
export interface HttpClientOptions {
  baseUrl: string;
  timeoutMs: number;
  headers?: Record<string, string>;
  /**
   * Awaited before every request (the shared per-source rate limit). It may throw an error
   * with code ERATELIMIT when no slot came in time: that request becomes a transient outcome;
   * or with code EQUOTA when the daily request quota is spent: it becomes quota_exhausted.
   * Either way the request is not sent.
   */
  beforeRequest?: () => Promise<void>;
}

/**
 * One axios instance per source. Every status comes back as a response (the adapters read
 * error bodies: OMDb answers errors with 200, TMDb and Zyte put the reason in the body), the
 * body stays text so that a malformed body is ours to report, and nothing retries here:
 * retry lives in one place, src/sources/retry.ts.
 */
export function createHttpClient(options: HttpClientOptions): AxiosInstance {
  const instance = axios.create({
    baseURL: options.baseUrl,
    timeout: options.timeoutMs,
    headers: { Accept: 'application/json', ...options.headers },
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    maxRedirects: 0,
    proxy: false,
  });
  const { beforeRequest } = options;
  if (beforeRequest !== undefined) {
    instance.interceptors.request.use(async (config) => {
      try {
        await beforeRequest();
      } catch (error) {
        const quota =
          typeof error === 'object' && error !== null && 'code' in error && error.code === 'EQUOTA';
        throw new AxiosError(
          error instanceof Error ? error.message : 'no request slot',
          quota ? 'EQUOTA' : 'ERATELIMIT',
          config,
        );
      }
      return config;
    });
  }
  return instance;
}

/** How the transport classified a failed request (no response, or an error status). */
export interface HttpFailure {
  kind: 'transient' | 'auth_failed' | 'not_found' | 'quota_exhausted' | 'invalid_response';
  status?: number;
  retryAfterMs?: number;
  /** Safe to log: method, path without query string, status or error code. */
  message: string;
}

const transientCodes = new Set([
  'ECONNABORTED',
  'ETIMEDOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ERR_CANCELED',
  'ERR_NETWORK',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'ERATELIMIT',
]);

/**
 * `METHOD /path` with the query string removed: TMDb and OMDb keys travel as query
 * parameters, so no URL ever goes into a message whole.
 */
export function describeRequest(method: string | undefined, url: string | undefined): string {
  const raw = url ?? '';
  let path = raw.split('?')[0] ?? '';
  // An absolute URL may also carry user:password@; keep only host and path.
  const absolute = /^[a-z]+:\/\/(?:[^@/]*@)?([^/]*)(\/[^?#]*)?/i.exec(path);
  if (absolute) path = `${absolute[1] ?? ''}${absolute[2] ?? '/'}`;
  return `${(method ?? 'GET').toUpperCase()} ${path === '' ? '/' : path}`;
}

/** Retry-After as seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** A response header by name, whatever shape axios gave the headers. */
export function headerValue(headers: unknown, name: string): unknown {
  if (headers === null || typeof headers !== 'object') return undefined;
  const h = headers as Record<string, unknown> & { get?: (n: string) => unknown };
  if (typeof h.get === 'function') {
    const v = h.get(name);
    if (v !== undefined && v !== null) return v;
  }
  return h[name] ?? h[name.toLowerCase()];
}

/**
 * Classifies an error status by its number alone: 429 and 5xx are transient (429 with
 * Retry-After when sent), 401 is an auth failure. Adapters read their own bodies first and
 * fall back to this for statuses their API does not explain.
 */
export function classifyHttpStatus(
  status: number,
  headers: unknown,
  request: string,
): HttpFailure | undefined {
  if (status >= 200 && status < 300) return undefined;
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(headerValue(headers, 'retry-after'));
    return {
      kind: 'transient',
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      message: `${request} answered 429 (rate limited)`,
    };
  }
  if (status >= 500) {
    const retryAfterMs = parseRetryAfter(headerValue(headers, 'retry-after'));
    return {
      kind: 'transient',
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      message: `${request} answered ${status}`,
    };
  }
  if (status === 401)
    return { kind: 'auth_failed', status, message: `${request} answered 401 (credentials refused)` };
  if (status === 404) return { kind: 'not_found', status, message: `${request} answered 404` };
  if (status === 408) return { kind: 'transient', status, message: `${request} answered 408` };
  return { kind: 'invalid_response', status, message: `${request} answered ${status}` };
}

/**
 * Maps anything a request threw to a failure. Network errors and timeouts are transient;
 * an error with a response is classified by status. The message is built from the method,
 * the path without query, the status and the error code — never from the axios message or
 * config, which carry the URL with its api_key and the Authorization header.
 */
export function classifyHttpError(error: unknown): HttpFailure {
  if (axios.isAxiosError(error)) {
    const request = describeRequest(error.config?.method, error.config?.url);
    if (error.response) {
      return (
        classifyHttpStatus(error.response.status, error.response.headers, request) ?? {
          kind: 'invalid_response',
          status: error.response.status,
          message: `${request} failed`,
        }
      );
    }
    const code = error.code ?? 'ERR_UNKNOWN';
    if (code === 'EQUOTA')
      return { kind: 'quota_exhausted', message: `${request} not sent: ${error.message}` };
    const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(error.message);
    if (timedOut) return { kind: 'transient', message: `${request} timed out (${code})` };
    if (transientCodes.has(code))
      return { kind: 'transient', message: `${request} failed: network error ${code}` };
    return { kind: 'transient', message: `${request} failed: ${code}` };
  }
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
  if (code !== undefined && transientCodes.has(code))
    return { kind: 'transient', message: `request failed: network error ${code}` };
  return {
    kind: 'transient',
    message: `request failed: ${error instanceof Error ? error.name : 'unknown error'}`,
  };
}
