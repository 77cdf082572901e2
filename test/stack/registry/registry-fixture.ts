import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { startRegistryServer, type RunningRegistryServer } from '../../../src/stack/registry/server.js';

/** A data directory of the test's own, removed when the test ends. */
export async function testDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'registry-test-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A registry on a random port over `dataDir` (a fresh one by default), closed when the test ends. */
export async function startTestRegistry(
  dataDir?: string,
): Promise<RunningRegistryServer & { dataDir: string }> {
  const dir = dataDir ?? (await testDataDir());
  const server = await startRegistryServer({ port: 0, dataDir: dir });
  onTestFinished(() => server.close());
  return { ...server, dataDir: dir };
}

/** A raw HTTP answer: status, content type and parsed JSON body. */
export interface RawAnswer {
  status: number;
  contentType: string | null;
  // Answers are arbitrary JSON that each test inspects with matchers.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** Calls the registry without a client library, the way curl would. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<RawAnswer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: text === '' ? undefined : JSON.parse(text),
  };
}

/** A record schema named `name` with the given fields, as the JSON string clients send. */
export function recordSchema(fields: unknown[], name = 'Film'): string {
  return JSON.stringify({ type: 'record', name, namespace: 'festival.test', fields });
}

export const registerBody = (schema: string): { schema: string } => ({ schema });
