import type { Catalog } from './catalog.js';
import type { TwinOptions, TwinService } from './options.js';
import type { Random } from './prng.js';

/** Endpoints the twin counts, one per upstream operation the adapters call. */
const endpoints = [
  'tmdb.find',
  'tmdb.search',
  'tmdb.movie',
  'omdb.byId',
  'omdb.byTitle',
  'zyte.extract',
] as const;
type Endpoint = (typeof endpoints)[number];

/** A parsed incoming request, body already read. */
export interface TwinRequest {
  method: string;
  url: URL;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** What the twin sends back. `json` bodies may be cut short by the malformed-body knob. */
export interface Reply {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
  json?: boolean;
}

/** Mutable counters shared by all routes; reset through the admin endpoint. */
export interface TwinState {
  counts: Record<Endpoint | 'zyte.charged', number>;
  omdbDay: string;
  omdbDayCount: number;
  chargedUsd: number;
}

export function freshState(): TwinState {
  const counts = Object.fromEntries([...endpoints, 'zyte.charged'].map((e) => [e, 0])) as TwinState['counts'];
  return { counts, omdbDay: '', omdbDayCount: 0, chargedUsd: 0 };
}

/** What a route handler can see. */
export interface RouteContext {
  catalog: Catalog;
  options: TwinOptions;
  state: TwinState;
  random: Random;
}

/** A failure the server decided on before the route ran; each service words it its own way. */
export type Failure =
  | { kind: 'unauthorized'; reason: 'missing' | 'invalid' }
  | { kind: 'rate-limited'; retryAfterSeconds: number | null }
  /** draw in [0, 1) picks one of the service's transient error flavours, reproducibly. */
  | { kind: 'server-error'; draw: number }
  | { kind: 'outage' };

/** One service of the twin: how to recognise its endpoints, check keys, answer and fail. */
export interface ServiceRoutes {
  service: TwinService;
  /** The counted endpoint a request targets, or null when the path is unknown (404). */
  endpoint(req: TwinRequest): Endpoint | null;
  /** null when the credentials are valid. */
  checkAuth(req: TwinRequest, options: TwinOptions): Failure | null;
  serve(req: TwinRequest, endpoint: Endpoint, ctx: RouteContext): Reply;
  failure(failure: Failure): Reply;
  notFound(): Reply;
}

export function json(status: number, value: unknown, headers?: Record<string, string>): Reply {
  return {
    status,
    contentType: 'application/json;charset=utf-8',
    body: JSON.stringify(value),
    json: true,
    ...(headers ? { headers } : {}),
  };
}
