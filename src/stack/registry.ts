import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { StackConfig } from '../config.js';
import { StackUnavailableError } from '../errors.js';
import { repoRoot, type StackPaths } from './paths.js';
import type { StackService } from './service.js';
import { spawnDetached } from './supervisor.js';

/** The registry stand-in's entry point (owned by src/stack/registry/). */
export const registryEntry = join(repoRoot, 'src', 'stack', 'registry', 'main.ts');

/** GET / of a Confluent-compatible registry: `{}`, or a stand-in's name and version. */
const rootSchema = z.looseObject({ version: z.string().optional(), name: z.string().optional() });

/** GET /v1/metadata/version of Confluent Schema Registry 7.x: `{version, commitId}`. */
const metadataVersionSchema = z.looseObject({ version: z.string() });

/**
 * The project's Confluent-API-compatible schema registry stand-in, run with Node and tsx
 * from the repo (nothing to fetch or build).
 */
export function registryService(config: StackConfig, paths: StackPaths): StackService {
  const port = config.ports.registry;
  const address = `http://127.0.0.1:${port}`;
  return {
    name: 'registry',
    address,
    port,
    ports: [port],
    pidFile: join(paths.pids, 'registry.pid'),
    logFile: join(paths.logs, 'registry.log'),
    marker: `${paths.root}/`,
    hint: `read the log above; if port ${port} is taken, set STACK_REGISTRY_PORT; run "npm ci" if tsx is missing`,

    prepare() {
      if (!existsSync(registryEntry)) {
        return Promise.reject(
          new StackUnavailableError(
            `registry: ${registryEntry} does not exist yet; the schema registry stand-in has not been written`,
          ),
        );
      }
      return Promise.resolve();
    },

    start() {
      mkdirSync(paths.registryData, { recursive: true });
      return spawnDetached({
        name: 'registry',
        command: process.execPath,
        args: ['--import', 'tsx', registryEntry, '--port', String(port), '--data-dir', paths.registryData],
        cwd: repoRoot,
        env: config.env,
        logFile: join(paths.logs, 'registry.log'),
        pidFile: join(paths.pids, 'registry.pid'),
      });
    },

    async probe() {
      try {
        const root = await fetch(`${address}/`, { signal: AbortSignal.timeout(1500) });
        if (!root.ok) return { healthy: false, reason: `GET / answered ${root.status}` };
        const body = rootSchema.safeParse(await root.json());
        const subjects = await fetch(`${address}/subjects`, { signal: AbortSignal.timeout(1500) });
        if (!subjects.ok) return { healthy: false, reason: `GET /subjects answered ${subjects.status}` };
        const list: unknown = await subjects.json();
        if (!Array.isArray(list))
          return { healthy: false, reason: 'GET /subjects did not answer a JSON array' };
        const version =
          (body.success ? body.data.version : undefined) ?? (await metadataVersion(address)) ?? 'unversioned';
        const name = body.success && body.data.name ? body.data.name : 'Confluent-compatible registry';
        return { healthy: true, version, detail: `${name}, ${list.length} subject(s)` };
      } catch (error) {
        const cause =
          error instanceof Error && error.cause instanceof Error
            ? error.cause.message
            : error instanceof Error
              ? error.message
              : String(error);
        return { healthy: false, reason: `GET ${address}/ failed (${cause})` };
      }
    },
  };
}

/** The version a Confluent-style registry reports, or undefined when it has no such endpoint. */
async function metadataVersion(address: string): Promise<string | undefined> {
  const response = await fetch(`${address}/v1/metadata/version`, { signal: AbortSignal.timeout(1500) });
  if (!response.ok) return undefined;
  const body = metadataVersionSchema.safeParse(await response.json().catch(() => undefined));
  return body.success ? body.data.version : undefined;
}
