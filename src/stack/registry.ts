import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { StackConfig } from './config.js';
import type { StackPaths } from './paths.js';
import { POSTGRES_USER, REGISTRY_DATABASE } from './postgres.js';
import { ensureGoProgram, registryProgram } from './prerequisites.js';
import type { StackService } from './service.js';
import { spawnDetached } from './supervisor.js';

/** GET / of a Confluent-compatible registry: `{}`, or a stand-in's name and version. */
const rootSchema = z.looseObject({ version: z.string().optional(), name: z.string().optional() });

/** GET /v1/metadata/version of Confluent Schema Registry 7.x: `{version, commitId}`. */
const metadataVersionSchema = z.looseObject({ version: z.string() });

/**
 * AxonOps Schema Registry (Apache-2.0): Confluent's REST API (subjects, versions,
 * references, AVRO/JSON/PROTOBUF, compatibility, modes, contexts), storing its schemas
 * in the stack's PostgreSQL. Built once into the cache from the Go module proxy.
 */
export function registryService(config: StackConfig, paths: StackPaths): StackService {
  const port = config.ports.registry;
  const address = `http://127.0.0.1:${port}`;
  const program = registryProgram(paths);
  return {
    name: 'registry',
    address,
    port,
    ports: [port],
    dependsOn: ['postgres'],
    pidFile: join(paths.pids, 'registry.pid'),
    logFile: join(paths.logs, 'registry.log'),
    marker: `${paths.root}/`,
    hint: `read the log above; if port ${port} is taken, set STACK_REGISTRY_PORT; to rebuild the binary delete ${program.binary}`,

    async prepare(progress) {
      await ensureGoProgram(program, paths, config.env, progress);
    },

    start() {
      // The config file's path on the command line also marks the process as ours.
      mkdirSync(dirname(paths.registryConfig), { recursive: true });
      writeFileSync(paths.registryConfig, registryConfigYaml(port, config.ports.postgres));
      return spawnDetached({
        name: 'registry',
        command: program.binary,
        args: ['--config', paths.registryConfig],
        cwd: paths.root,
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
        // AxonOps answers `null` (a nil Go slice) while no subject exists; Confluent `[]`.
        const list: unknown = (await subjects.json()) ?? [];
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

/** The registry's configuration: PostgreSQL storage, no authentication, 127.0.0.1 only. */
function registryConfigYaml(port: number, postgresPort: number): string {
  return [
    'server:',
    '  host: 127.0.0.1',
    `  port: ${port}`,
    'storage:',
    '  type: postgresql',
    '  postgresql:',
    '    host: 127.0.0.1',
    `    port: ${postgresPort}`,
    `    database: ${REGISTRY_DATABASE}`,
    `    user: ${POSTGRES_USER}`,
    // Local connections are trusted; the field may not be empty.
    '    password: unused',
    '    ssl_mode: disable',
    'compatibility:',
    '  default_level: BACKWARD',
    'security:',
    '  auth:',
    '    enabled: false',
    '',
  ].join('\n');
}
