/*
 * The local twin of TMDb, OMDb and Zyte (serving IMDb title pages). One HTTP server, one
 * prefix per service, so that the adapters only change their base URL:
 *
 *   TMDB_BASE_URL = http://127.0.0.1:PORT/tmdb/3   GET  /find/{imdb_id}, /search/movie, /movie/{id}
 *   OMDB_BASE_URL = http://127.0.0.1:PORT/omdb/    GET  /?apikey=&i= | t=&y=&type=&plot=
 *   ZYTE_BASE_URL = http://127.0.0.1:PORT/zyte/v1  POST /extract  (pages of https://www.imdb.com/title/tt…/)
 *   admin:          http://127.0.0.1:PORT/_twin/   GET counts, GET options, POST reset, PUT options, PUT world
 *
 * Keep this layout: the adapters, tests, benchmarks and the demo build URLs from it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { handleAdmin } from './admin-routes.js';
import { ServiceGate } from './behaviour.js';
import { Catalog } from './catalog.js';
import { omdbRoutes } from './omdb-routes.js';
import {
  applyOptionsPatch,
  twinOptionsSchema,
  type TwinOptions,
  type TwinOptionsInput,
  type TwinOptionsPatch,
  type TwinService,
} from './options.js';
import { createRandom, type Random } from './prng.js';
import { freshState, type Reply, type ServiceRoutes, type TwinRequest, type TwinState } from './reply.js';
import { tmdbRoutes } from './tmdb-routes.js';
import type { World } from './world.js';
import { zyteRoutes } from './zyte-routes.js';

/** Base URLs the adapters are configured with. */
export interface TwinUrls {
  tmdb: string;
  omdb: string;
  zyte: string;
  admin: string;
}

export interface TwinServerInit {
  world: World;
  options?: TwinOptionsInput;
  /** Optional; the twin logs endpoints and statuses, never URLs with keys. */
  logger?: Logger;
}

const services: Record<TwinService, ServiceRoutes> = { tmdb: tmdbRoutes, omdb: omdbRoutes, zyte: zyteRoutes };

function serviceOf(path: string): TwinService | null {
  if (path.startsWith('/tmdb/')) return 'tmdb';
  if (path === '/omdb' || path.startsWith('/omdb/')) return 'omdb';
  if (path.startsWith('/zyte/')) return 'zyte';
  return null;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The twin: a world served as three upstream services with run-time behaviour knobs. */
export class TwinServer {
  private catalog: Catalog;
  private options: TwinOptions;
  private state: TwinState = freshState();
  private gates!: Record<TwinService, ServiceGate>;
  private randoms!: Record<TwinService, Random>;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly server: Server;
  private readonly logger: Logger | undefined;

  constructor(init: TwinServerInit) {
    this.catalog = new Catalog(init.world);
    this.options = twinOptionsSchema.parse(init.options ?? {});
    this.logger = init.logger;
    this.reseed();
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.logger?.error({ err: error }, 'twin request failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('twin internal error');
      });
    });
  }

  private reseed(): void {
    this.randoms = {
      tmdb: createRandom(this.options.seed * 3 + 1),
      omdb: createRandom(this.options.seed * 3 + 2),
      zyte: createRandom(this.options.seed * 3 + 3),
    };
    this.gates = {
      tmdb: new ServiceGate(this.randoms.tmdb),
      omdb: new ServiceGate(this.randoms.omdb),
      zyte: new ServiceGate(this.randoms.zyte),
    };
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<TwinUrls> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    return this.urls();
  }

  urls(): TwinUrls {
    const address = this.server.address() as AddressInfo;
    const base = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
    return { tmdb: `${base}/tmdb/3`, omdb: `${base}/omdb/`, zyte: `${base}/zyte/v1`, admin: `${base}/_twin` };
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  counts(): TwinState['counts'] {
    return { ...this.state.counts };
  }

  chargedUsd(): number {
    return Math.round(this.state.chargedUsd * 1e6) / 1e6;
  }

  currentOptions(): TwinOptions {
    return structuredClone(this.options);
  }

  /** Merges a change into the options (nested objects merge; null clears a knob). */
  setOptions(patch: TwinOptionsPatch): TwinOptions {
    const seedBefore = this.options.seed;
    this.options = applyOptionsPatch(this.options, patch);
    if (this.options.seed !== seedBefore) this.reseed();
    return this.currentOptions();
  }

  setWorld(world: World): void {
    this.catalog = new Catalog(world);
  }

  /** Zeroes counters, charges, quotas and rate-limit windows, and restarts the seeded draws. */
  reset(): void {
    this.state = freshState();
    this.reseed();
  }

  private delay(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request: TwinRequest = {
      method: req.method ?? 'GET',
      url: new URL(req.url ?? '/', 'http://twin'),
      headers: req.headers,
      body: await readBody(req),
    };
    if (request.url.pathname.startsWith('/_twin/')) {
      this.send(res, handleAdmin(request, this));
      return;
    }
    const service = serviceOf(request.url.pathname);
    if (service === null) {
      this.send(res, { status: 404, contentType: 'text/plain', body: 'not a twin service' });
      return;
    }
    const routes = services[service];
    const endpoint = routes.endpoint(request);
    if (endpoint === null) {
      this.send(res, routes.notFound());
      return;
    }
    this.state.counts[endpoint] += 1;
    const behaviour = this.options[service];
    const gate = this.gates[service];
    await this.delay(gate.delayMs(behaviour));
    let reply: Reply;
    if (gate.inOutage(behaviour)) reply = routes.failure({ kind: 'outage' });
    else {
      const authFailure = routes.checkAuth(request, this.options);
      if (authFailure) reply = routes.failure(authFailure);
      else {
        const verdict = gate.decide(behaviour);
        if (verdict.kind === 'hang') {
          // Longer than any sane client timeout, then the connection drops without an answer.
          await this.delay(verdict.ms);
          res.destroy();
          return;
        }
        if (verdict.kind === 'outage') reply = routes.failure({ kind: 'outage' });
        else if (verdict.kind === 'rate-limited') reply = routes.failure(verdict);
        else if (verdict.kind === 'server-error')
          reply = routes.failure({ kind: 'server-error', draw: this.randoms[service]() });
        else {
          reply = routes.serve(request, endpoint, {
            catalog: this.catalog,
            options: this.options,
            state: this.state,
            random: this.randoms[service],
          });
          if (verdict.malformed && reply.json && reply.status === 200)
            reply = { ...reply, body: reply.body.slice(0, Math.floor(reply.body.length / 2)) };
        }
      }
    }
    this.logger?.debug({ endpoint, status: reply.status }, 'twin answered');
    this.send(res, reply);
  }

  private send(res: ServerResponse, reply: Reply): void {
    if (res.destroyed) return;
    res.writeHead(reply.status, {
      'content-type': reply.contentType,
      'content-length': Buffer.byteLength(reply.body),
      ...reply.headers,
    });
    res.end(reply.body);
  }
}

/** Builds and starts a twin; resolves once it listens. */
export async function startTwin(
  init: TwinServerInit & { port?: number; host?: string },
): Promise<{ twin: TwinServer; urls: TwinUrls }> {
  const twin = new TwinServer(init);
  const urls = await twin.listen(init.port ?? 0, init.host ?? '127.0.0.1');
  return { twin, urls };
}
