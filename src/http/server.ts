import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../logger.js';
import type { HealthState } from './health-state.js';

/** The service's own HTTP endpoints: /metrics, /healthz, /readyz. */
export interface OpsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startOpsServer(options: {
  port: number;
  host?: string;
  registry: Registry;
  health: HealthState;
  logger: Logger;
}): Promise<OpsServer> {
  const { registry, health, logger } = options;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return json(405, { error: 'method not allowed' });
    if (path === '/metrics') {
      registry
        .metrics()
        .then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text))
        .catch((err: unknown) => {
          logger.error({ err }, 'metrics collection failed');
          json(500, { error: 'metrics collection failed' });
        });
      return;
    }
    const snap = health.snapshot();
    if (path === '/healthz')
      return json(snap.healthy ? 200 : 503, {
        status: snap.healthy ? 'ok' : 'unhealthy',
        problems: snap.problems,
      });
    if (path === '/readyz')
      return json(snap.ready ? 200 : 503, {
        status: snap.ready ? 'ready' : 'not_ready',
        problems: snap.problems,
      });
    return json(404, { error: 'not found', endpoints: ['/metrics', '/healthz', '/readyz'] });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ port }, 'ops server listening');
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
