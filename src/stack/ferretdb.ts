import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import type { StackConfig } from './config.js';
import { tcpOpen } from './health.js';
import type { StackPaths } from './paths.js';
import { FERRETDB_DATABASE, POSTGRES_USER } from './postgres.js';
import { ensureGoProgram, ferretdbProgram } from './prerequisites.js';
import type { StackService } from './service.js';
import { spawnDetached } from './supervisor.js';

/**
 * FerretDB v2: the MongoDB wire protocol on the stack's PostgreSQL with the DocumentDB
 * extension (real secondary indexes, atomic single-document updates, aggregation, TTL
 * indexes; no multi-document transactions). Built once into the cache from the Go
 * module proxy (see ensureGoProgram for why not `go install`).
 */
export function ferretdbService(config: StackConfig, paths: StackPaths): StackService {
  const port = config.ports.mongo;
  const address = `mongodb://127.0.0.1:${port}`;
  const program = ferretdbProgram(paths);
  return {
    name: 'ferretdb',
    address,
    port,
    ports: [port],
    dependsOn: ['postgres'],
    pidFile: join(paths.pids, 'ferretdb.pid'),
    logFile: join(paths.logs, 'ferretdb.log'),
    marker: `${paths.root}/`,
    hint: `read the log above; if port ${port} is taken, set STACK_MONGO_PORT; to rebuild the binary delete ${program.binary}`,

    async prepare(progress) {
      await ensureGoProgram(program, paths, config.env, progress);
    },

    start() {
      mkdirSync(paths.ferretdbState, { recursive: true });
      return spawnDetached({
        name: 'ferretdb',
        command: program.binary,
        args: [
          `--postgresql-url=postgres://${POSTGRES_USER}@127.0.0.1:${config.ports.postgres}/${FERRETDB_DATABASE}`,
          `--listen-addr=127.0.0.1:${port}`,
          // A local store for one developer or one CI run: no users to manage.
          '--no-auth',
          '--telemetry=disable',
          `--state-dir=${paths.ferretdbState}`,
          '--log-level=warn',
          // Its debug/metrics HTTP listener defaults to 127.0.0.1:8088 for every instance; a
          // second FerretDB on the machine would fail to start on it.
          '--debug-addr=-',
        ],
        cwd: paths.root,
        env: config.env,
        logFile: join(paths.logs, 'ferretdb.log'),
        pidFile: join(paths.pids, 'ferretdb.pid'),
      });
    },

    async probe() {
      if (!(await tcpOpen(port))) return { healthy: false, reason: `nothing listens on 127.0.0.1:${port}` };
      const client = new MongoClient(address, { serverSelectionTimeoutMS: 1500, connectTimeoutMS: 1500 });
      try {
        await client.connect();
        const info = await client.db('admin').command({ buildInfo: 1 });
        // FerretDB v2 answers `ferretdb: {version}`; v1 answered `ferretdbVersion`.
        const nested: unknown = info.ferretdb;
        const ferret =
          nested && typeof nested === 'object' && 'version' in nested && typeof nested.version === 'string'
            ? nested.version
            : typeof info.ferretdbVersion === 'string'
              ? info.ferretdbVersion
              : undefined;
        const wire = typeof info.version === 'string' ? info.version : 'unknown';
        // A real round trip through PostgreSQL: buildInfo alone is answered by FerretDB.
        await client.db('admin').command({ listDatabases: 1, nameOnly: true });
        return ferret
          ? {
              healthy: true,
              version: ferret,
              detail: `FerretDB on PostgreSQL, MongoDB ${wire} wire compatibility`,
            }
          : {
              healthy: true,
              version: wire,
              detail: 'a MongoDB server, not FerretDB: not started by this stack',
            };
      } catch (error) {
        return {
          healthy: false,
          reason: `port open but buildInfo/listDatabases failed (${error instanceof Error ? error.message : String(error)})`,
        };
      } finally {
        await client.close().catch(() => undefined);
      }
    },
  };
}
