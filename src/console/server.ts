import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadAssets } from './assets.js';
import { ConsoleAuth } from './auth.js';
import { registerKpiRoutes } from './routes/kpi-routes.js';
import { registerMovieRoutes } from './routes/movie-routes.js';
import { registerParkedRoutes } from './routes/parked-routes.js';
import { registerReviewRoutes } from './routes/review-routes.js';
import type { ConsoleDeps, RouteContext } from './context.js';
import { html } from './html.js';
import { page } from './views/layout.js';

/**
 * The curator's console: server-rendered pages on fastify (review queue, movies, KPIs),
 * htmx for the actions, Chart.js for the charts, both served from node_modules. It listens
 * on its own port, on loopback unless configured otherwise, apart from the ops server
 * (which Prometheus scrapes on every interface).
 */

export type { ConsoleDeps } from './context.js';

export interface ConsoleOptions {
  host: string;
  port: number;
  /** CONSOLE_TOKEN; undefined makes the console read-only. */
  token?: string;
}

/** A running console. */
export interface ConsoleServer {
  url: string;
  port: number;
  readOnly: boolean;
  close(): Promise<void>;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function hostName(header: string | undefined): string {
  if (header === undefined) return '';
  if (header.startsWith('[')) return header.slice(0, header.indexOf(']') + 1);
  return header.split(':')[0] ?? '';
}

const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' https: data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

export async function buildConsole(
  deps: ConsoleDeps,
  options: Pick<ConsoleOptions, 'token' | 'host'>,
): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, trustProxy: false, bodyLimit: 64 * 1024 });
  const auth = new ConsoleAuth(options.token);
  const assets = loadAssets();
  const log = deps.logger.child({ component: 'console' });

  await app.register(fastifyCookie, { secret: randomBytes(32).toString('hex') });
  await app.register(fastifyCsrf, {
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', signed: true },
  });
  await app.register(fastifyFormbody);

  const loopbackOnly = loopbackHosts.has(options.host);
  app.addHook('onRequest', async (request, reply) => {
    // Bound to loopback: refuse other Host names, so a DNS-rebinding page cannot talk to us.
    if (loopbackOnly && !loopbackHosts.has(hostName(request.headers.host))) {
      await reply.code(421).type('text/plain').send('the console answers on localhost only');
    }
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('content-security-policy', contentSecurityPolicy);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    if (reply.getHeader('cache-control') === undefined) reply.header('cache-control', 'no-store');
    return payload;
  });
  app.setErrorHandler(async (error, _request, reply) => {
    const status =
      typeof (error as { statusCode?: unknown }).statusCode === 'number'
        ? (error as { statusCode: number }).statusCode
        : 500;
    if (status >= 500) log.error({ err: error }, 'console request failed');
    await reply
      .code(status)
      .type('text/plain; charset=utf-8')
      .send(
        status >= 500
          ? 'internal error (see the service log)'
          : error instanceof Error
            ? error.message
            : 'bad request',
      );
  });

  app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    const asset = assets.get(request.params.name);
    if (asset === undefined) return reply.code(404).type('text/plain').send('no such asset');
    return reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(asset.body);
  });
  app.get('/', async (_request, reply) => reply.redirect('/review'));

  const ctx: RouteContext = {
    deps,
    auth,
    now: deps.now ?? (() => new Date()),
    page: (request, reply, section) => ({
      access: auth.access(request),
      csrf: reply.generateCsrf(),
      section,
    }),
  };

  app.post<{ Body: { token?: string } }>(
    '/login',
    { preHandler: app.csrfProtection.bind(app) },
    async (request, reply) => {
      if (auth.readOnly)
        return reply.code(403).type('text/plain').send('read-only console: no CONSOLE_TOKEN is configured');
      if (typeof request.body.token !== 'string' || !auth.accepts(request.body.token)) {
        log.warn('console sign-in refused');
        const pc = ctx.page(request, reply, 'review');
        return reply
          .code(401)
          .type('text/html; charset=utf-8')
          .send(
            page(pc, 'Sign in', html`<p class="outcome error" role="alert">wrong token: try again above</p>`)
              .value,
          );
      }
      auth.signIn(reply);
      return reply.redirect('/review', 303);
    },
  );
  app.post('/logout', { preHandler: app.csrfProtection.bind(app) }, async (_request, reply) => {
    auth.signOut(reply);
    return reply.redirect('/review', 303);
  });

  registerReviewRoutes(app, ctx);
  registerParkedRoutes(app, ctx);
  registerMovieRoutes(app, ctx);
  registerKpiRoutes(app, ctx);
  return app;
}

export async function startConsole(deps: ConsoleDeps, options: ConsoleOptions): Promise<ConsoleServer> {
  const app = await buildConsole(deps, options);
  await app.listen({ host: options.host, port: options.port });
  const { port } = app.server.address() as AddressInfo;
  const shown =
    options.host === '0.0.0.0' || options.host === '::'
      ? '127.0.0.1'
      : options.host.includes(':')
        ? `[${options.host}]`
        : options.host;
  const url = `http://${shown}:${port}`;
  deps.logger
    .child({ component: 'console' })
    .info({ url, readOnly: options.token === undefined }, 'console listening');
  return { url, port, readOnly: options.token === undefined, close: () => app.close() };
}
