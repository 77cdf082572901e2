import { imdbTitleUrl, renderChallengePage, renderNotFoundPage, renderTitlePage } from './imdb-page.js';
import {
  json,
  type Failure,
  type Reply,
  type RouteContext,
  type ServiceRoutes,
  type TwinRequest,
} from './reply.js';

/**
 * The Zyte API as the twin serves it under /zyte/v1 (real: https://api.zyte.com/v1):
 *   POST /extract  {url, httpResponseBody: true} → {url, statusCode, httpResponseBody: base64}
 *                  {url, browserHtml: true}      → {url, statusCode, browserHtml}
 * Basic auth, API key as user name, empty password. The target's own status is statusCode
 * (a target 404 is charged). Errors are application/problem+json {type, title, status, detail}:
 * 400/422 bad request, 401 bad key, 403 account suspended, 429/503 rate limits, 451 domain
 * forbidden, 520 temporary ban, 521 internal error (4xx/5xx are not charged).
 */

function problem(
  status: number,
  type: string,
  title: string,
  detail: string,
  headers?: Record<string, string>,
): Reply {
  return {
    status,
    contentType: 'application/problem+json',
    body: JSON.stringify({ type, title, status, detail }),
    json: true,
    ...(headers ? { headers } : {}),
  };
}

const badRequest = (detail: string): Reply => problem(400, '/request/invalid', 'Invalid Request', detail);

function basicUser(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string' || !header.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? decoded : decoded.slice(0, colon);
}

function parseBody(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function targetPage(url: string, ctx: RouteContext): { statusCode: number; html: string } {
  const match = imdbTitleUrl.exec(url);
  const film = match ? ctx.catalog.film(match[1] ?? '') : undefined;
  if (!film || film.imdb === 'missing') return { statusCode: 404, html: renderNotFoundPage() };
  if (film.imdb === 'blocked') return { statusCode: 200, html: renderChallengePage() };
  return { statusCode: 200, html: renderTitlePage(film) };
}

export const zyteRoutes: ServiceRoutes = {
  service: 'zyte',

  endpoint(req: TwinRequest) {
    return req.method === 'POST' && req.url.pathname === '/zyte/v1/extract' ? 'zyte.extract' : null;
  },

  checkAuth(req, options) {
    const user = basicUser(req.headers.authorization);
    if (user === null || user === '') return { kind: 'unauthorized', reason: 'missing' };
    return options.keys.zyteKeys.includes(user) ? null : { kind: 'unauthorized', reason: 'invalid' };
  },

  serve(req, _endpoint, ctx) {
    const zyte = ctx.options.zyte;
    if (
      zyte.spendingLimitRequests !== null &&
      ctx.state.counts['zyte.charged'] >= zyte.spendingLimitRequests
    ) {
      return problem(
        403,
        '/auth/account-suspended',
        'Account Suspended',
        'Account is suspended: the spending limit was reached.',
      );
    }
    const body = parseBody(req.body);
    if (!body) return badRequest('The request body is not a JSON object.');
    const url = body.url;
    if (typeof url !== 'string' || !URL.canParse(url))
      return badRequest('"url" is required and must be an absolute URL.');
    const wantsBody = body.httpResponseBody === true;
    const wantsHtml = body.browserHtml === true;
    if (wantsBody && wantsHtml)
      return problem(
        422,
        '/request/unprocessable',
        'Unprocessable Request',
        'Incompatible parameters were combined: httpResponseBody and browserHtml.',
      );
    if (!wantsBody && !wantsHtml)
      return badRequest('Request at least one output: httpResponseBody or browserHtml.');
    const host = new URL(url).hostname;
    if (host !== 'www.imdb.com' && host !== 'imdb.com')
      return problem(
        451,
        '/download/domain-forbidden',
        'Domain Forbidden',
        'Extraction for this domain is forbidden.',
      );
    if (zyte.internalErrorRate > 0 && ctx.random() < zyte.internalErrorRate)
      return problem(
        521,
        '/download/internal-error',
        'Internal Download Error',
        'An internal error occurred while downloading the page.',
      );
    const page = targetPage(url, ctx);
    ctx.state.counts['zyte.charged'] += 1;
    ctx.state.chargedUsd += zyte.costUsd;
    return wantsBody
      ? json(200, {
          url,
          statusCode: page.statusCode,
          httpResponseBody: Buffer.from(page.html, 'utf8').toString('base64'),
        })
      : json(200, { url, statusCode: page.statusCode, browserHtml: page.html });
  },

  failure(failure: Failure) {
    switch (failure.kind) {
      case 'unauthorized':
        return problem(
          401,
          '/auth/key-not-found',
          'Authentication Key Not Found',
          "The authentication key is not valid or can't be matched.",
        );
      case 'rate-limited':
        return problem(
          429,
          '/limits/over-user-limit',
          'User Rate Limit Exceeded',
          'Your request rate is over the limit of your API key.',
          failure.retryAfterSeconds === null
            ? undefined
            : { 'Retry-After': String(failure.retryAfterSeconds) },
        );
      case 'outage':
        return problem(
          503,
          '/limits/over-global-limit',
          'Global Rate Limit Exceeded',
          'Zyte API is over capacity; retry later.',
        );
      case 'server-error':
        return problem(
          520,
          '/download/temporary-error',
          'Temporary Downloading Error',
          'The website banned the request temporarily; retry with backoff.',
        );
    }
  },

  notFound: () => problem(404, '/request/not-found', 'Not Found', 'Unknown endpoint.'),
};
