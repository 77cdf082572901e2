import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, type Logger } from '../../logger.js';
import { RegistryError } from './errors.js';
import { SchemaRegistryState } from './registry.js';
import { matchRoute, type RouteResponse } from './routes.js';
import { RegistryFileStore } from './store.js';

/** Where and how to run the development schema registry stand-in. */
export interface RegistryServerOptions {
  port: number;
  dataDir: string;
  host?: string;
  logger?: Logger;
}

/** A running registry: its base URL and a graceful stop that waits for pending saves. */
export interface RunningRegistryServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const registryContentType = 'application/vnd.schemaregistry.v1+json';

/** Request content types the real registry accepts. */
const acceptedContentTypes = new Set([
  'application/vnd.schemaregistry.v1+json',
  'application/vnd.schemaregistry+json',
  'application/json',
  'application/octet-stream',
]);

const maxBodyBytes = 16 * 1024 * 1024;

function send(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, {
    'content-type': registryContentType,
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

function sendError(response: ServerResponse, error: RegistryError): void {
  send(response, error.status, JSON.stringify(error.toBody()));
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) throw new RegistryError(413, 413, 'HTTP 413 Request Entity Too Large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  const mediaType =
    (request.headers['content-type'] ?? 'application/json').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!acceptedContentTypes.has(mediaType))
    throw new RegistryError(415, 415, 'HTTP 415 Unsupported Media Type');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RegistryError(400, 400, `Unexpected request body, not JSON: ${(error as Error).message}`);
  }
}

function pathSegments(pathname: string): string[] | undefined {
  try {
    return pathname
      .split('/')
      .filter((part) => part !== '')
      .map((part) => decodeURIComponent(part));
  } catch {
    return undefined;
  }
}

async function handle(
  registry: SchemaRegistryState,
  request: IncomingMessage,
  response: ServerResponse,
  log: Logger,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://registry.invalid');
  const segments = pathSegments(url.pathname);
  const match =
    segments === undefined ? { methodNotAllowed: false } : matchRoute(request.method ?? 'GET', segments);
  if (!('route' in match)) {
    if (match.methodNotAllowed)
      sendError(response, new RegistryError(405, 405, 'HTTP 405 Method Not Allowed'));
    else sendError(response, new RegistryError(404, 404, 'HTTP 404 Not Found'));
    return;
  }
  try {
    const body = await readBody(request);
    const answer: RouteResponse = await match.route.handle(registry, {
      params: match.params,
      query: url.searchParams,
      body,
    });
    send(response, answer.status ?? 200, 'raw' in answer ? answer.raw : JSON.stringify(answer.json));
  } catch (error) {
    if (error instanceof RegistryError) {
      if (error.status >= 500) log.error({ err: error, route: match.route.path }, 'registry request failed');
      sendError(response, error);
      return;
    }
    log.error({ err: error, route: match.route.path }, 'registry request failed unexpectedly');
    sendError(response, new RegistryError(500, 50001, 'Error in the backend data store'));
  }
}

/**
 * Starts the Confluent-API-compatible schema registry used for development and tests
 * (production runs Confluent Schema Registry). State is loaded from `dataDir` before the
 * port opens. Port 0 picks a free port.
 */
export async function startRegistryServer(options: RegistryServerOptions): Promise<RunningRegistryServer> {
  const host = options.host ?? '127.0.0.1';
  const log = (options.logger ?? createLogger('silent')).child({ component: 'schema-registry' });
  const registry = await SchemaRegistryState.open(new RegistryFileStore(options.dataDir));
  const server = createServer((request, response) => {
    handle(registry, request, response, log).catch((error: unknown) => {
      log.error({ err: error }, 'registry response failed');
      if (!response.headersSent)
        sendError(response, new RegistryError(500, 50001, 'Error in the backend data store'));
      else response.destroy();
    });
  });
  // Clients keep connections alive; without this, close() would wait for them to time out.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () => {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const force = setTimeout(() => server.closeAllConnections(), 2_000);
        await closed;
        clearTimeout(force);
        await registry.idle();
      })();
      return closing;
    },
  };
}
