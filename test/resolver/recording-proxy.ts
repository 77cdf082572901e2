import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

/** One request that went through the proxy. */
export interface ProxiedRequest {
  method: string;
  /** Path and query as the client sent them. */
  url: string;
  body: string;
  startedAt: number;
  /** When the whole response was handed to the client's socket; null while in flight or when the client went away. */
  answeredAt: number | null;
}

/**
 * A plain HTTP proxy in front of the twin that records when each request started and when
 * its answer reached the client, so that a test can tell a request that was in flight when
 * the client died from one whose answer the client had.
 */
export async function startRecordingProxy(
  target: string,
): Promise<{ url: string; requests: ProxiedRequest[] }> {
  const upstream = new URL(target);
  const requests: ProxiedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry: ProxiedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        body: Buffer.concat(chunks).toString(),
        startedAt: Date.now(),
        answeredAt: null,
      };
      requests.push(entry);
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          res.on('finish', () => (entry.answeredAt = Date.now()));
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}
