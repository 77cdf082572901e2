import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import type { StackConfig } from '../config.js';
import { tcpOpen } from './health.js';
import type { StackPaths } from './paths.js';
import { ensureFerretdb, ferretdbBinary } from './prerequisites.js';
import type { StackService } from './service.js';
import { spawnDetached } from './supervisor.js';

/**
 * FerretDB 1.24 with its SQLite backend: the MongoDB wire protocol without a MongoDB
 * server. The binary is built once into the cache (see ensureFerretdb for why not
 * `go install`).
 */
export function ferretdbService(config: StackConfig, paths: StackPaths): StackService {
  const port = config.ports.mongo;
  const address = `mongodb://127.0.0.1:${port}`;
  return {
    name: 'ferretdb',
    address,
    port,
    ports: [port],
    pidFile: join(paths.pids, 'ferretdb.pid'),
    logFile: join(paths.logs, 'ferretdb.log'),
    marker: `${paths.root}/`,
    hint: `read the log above; if port ${port} is taken, set STACK_MONGO_PORT; to rebuild the binary delete ${ferretdbBinary(paths)}`,

    async prepare(progress) {
      await ensureFerretdb(paths, config.env, progress);
    },

    start() {
      // The SQLite URL must name a folder and end with "/": one file per database inside it.
      mkdirSync(paths.ferretdbData, { recursive: true });
      return spawnDetached({
        name: 'ferretdb',
        command: ferretdbBinary(paths),
        args: [
          '--handler=sqlite',
          `--sqlite-url=file:${paths.ferretdbData}/`,
          `--listen-addr=127.0.0.1:${port}`,
          '--telemetry=disable',
          `--state-dir=${paths.ferretdbData}`,
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
        const ferret = typeof info.ferretdbVersion === 'string' ? info.ferretdbVersion : undefined;
        const wire = typeof info.version === 'string' ? info.version : 'unknown';
        return ferret
          ? { healthy: true, version: ferret, detail: `FerretDB, MongoDB ${wire} wire compatibility` }
          : {
              healthy: true,
              version: wire,
              detail: 'a MongoDB server, not FerretDB: not started by this stack',
            };
      } catch (error) {
        return {
          healthy: false,
          reason: `port open but buildInfo failed (${error instanceof Error ? error.message : String(error)})`,
        };
      } finally {
        await client.close().catch(() => undefined);
      }
    },
  };
}
