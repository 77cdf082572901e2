import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { StackConfig } from './config.js';
import { shownPath, tcpOpen } from './health.js';
import type { StackPaths } from './paths.js';
import {
  ensurePostgresExtensions,
  ensurePostgresPackages,
  POSTGRES_BIN,
  POSTGRES_MAJOR,
} from './postgres-build.js';
import { runStep } from './prerequisites.js';
import type { Progress, StackService } from './service.js';
import { spawnDetached } from './supervisor.js';

/** The database FerretDB keeps its collections in (pg_cron must run in it too). */
export const FERRETDB_DATABASE = 'postgres';
/** The database the schema registry keeps its tables in. */
export const REGISTRY_DATABASE = 'schema_registry';
/** The superuser initdb creates; local connections are trusted (127.0.0.1 only). */
export const POSTGRES_USER = 'postgres';
/** The system user PostgreSQL runs as when the stack runs as root (PostgreSQL refuses root). */
const POSTGRES_SYSTEM_USER = 'postgres';

/** Who runs the server: ourselves, or the system user when we are root. */
interface RunAs {
  uid?: number;
  gid?: number;
  name: string;
}

function runAs(): RunAs {
  if (process.getuid?.() !== 0) return { name: 'the current user' };
  const id = (flag: string): number =>
    Number.parseInt(execFileSync('id', [flag, POSTGRES_SYSTEM_USER]).toString().trim(), 10);
  return { uid: id('-u'), gid: id('-g'), name: POSTGRES_SYSTEM_USER };
}

/** Creates the system user when we are root and it is missing (Debian's package normally creates it). */
function ensureSystemUser(progress: Progress): void {
  if (process.getuid?.() !== 0) return;
  try {
    execFileSync('id', ['-u', POSTGRES_SYSTEM_USER], { stdio: 'ignore' });
  } catch {
    progress(`postgres: creating the system user ${POSTGRES_SYSTEM_USER} (PostgreSQL does not run as root)`);
    execFileSync('useradd', [
      '--system',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      POSTGRES_SYSTEM_USER,
    ]);
  }
}

/** True when uid/gid may enter every folder above path (a data folder under /root is not). */
function reachable(path: string, who: RunAs): boolean {
  if (who.uid === undefined) return true;
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (existsSync(dir)) {
      const s = statSync(dir);
      const ok =
        (s.mode & 0o001) !== 0 ||
        (s.uid === who.uid && (s.mode & 0o100) !== 0) ||
        (s.gid === who.gid && (s.mode & 0o010) !== 0);
      if (!ok) return false;
    }
    if (dir === dirname(dir)) return true;
  }
}

/**
 * The data folder: `<stack>/postgres-data`, unless the system user cannot reach it (a
 * clone under /root): then a folder of its own under the temp dir, named after the stack.
 */
function postgresDataDir(paths: StackPaths, who: RunAs = runAsSafe()): string {
  if (reachable(paths.postgresData, who)) return paths.postgresData;
  const key = createHash('sha256').update(paths.root).digest('hex').slice(0, 12);
  return join(tmpdir(), `festival-resolver-postgres-${key}`);
}

function runAsSafe(): RunAs {
  try {
    return runAs();
  } catch {
    return { name: POSTGRES_SYSTEM_USER };
  }
}

/** Runs one SQL statement with psql and returns its unaligned output. */
function psql(
  port: number,
  database: string,
  sql: string,
  timeoutMs = 5000,
  env: Record<string, string | undefined> = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      `${POSTGRES_BIN}/psql`,
      [
        '-X',
        '-q',
        '-A',
        '-t',
        '-v',
        'ON_ERROR_STOP=1',
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        POSTGRES_USER,
        '-d',
        database,
        '-c',
        sql,
      ],
      { timeout: timeoutMs, env: { ...env, PGCONNECT_TIMEOUT: '2' } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(stderr.trim() || error.message));
        else resolve(stdout.trim());
      },
    );
  });
}

/**
 * PostgreSQL 15 from Debian with DocumentDB, pgvector and pg_cron built from their
 * release archives: FerretDB's storage and the schema registry's. Listens on 127.0.0.1
 * only, trusts local connections, no Unix socket.
 */
export function postgresService(config: StackConfig, paths: StackPaths): StackService {
  const port = config.ports.postgres;
  const address = `postgresql://${POSTGRES_USER}@127.0.0.1:${port}/${FERRETDB_DATABASE}`;
  const dataDir = postgresDataDir(paths);
  const logFile = join(paths.logs, 'postgres.log');
  return {
    name: 'postgres',
    address,
    port,
    ports: [port],
    pidFile: join(paths.pids, 'postgres.pid'),
    logFile,
    marker: dataDir,
    hint: `read the log above; if port ${port} is taken, set STACK_POSTGRES_PORT; for a clean slate stop the stack and delete ${shownPath(dataDir)}; to rebuild the extensions delete the postgres-${POSTGRES_MAJOR}-* folder in ${config.cacheDir}`,

    async prepare(progress) {
      await ensurePostgresPackages(paths, config.env, progress);
      await ensurePostgresExtensions(paths, config.env, progress);
      ensureSystemUser(progress);
    },

    async start(progress) {
      const who = runAs();
      if (!existsSync(join(dataDir, 'PG_VERSION'))) {
        progress(`postgres: creating a cluster in ${shownPath(dataDir)} (run as ${who.name})`);
        mkdirSync(dataDir, { recursive: true, mode: 0o700 });
        if (who.uid !== undefined && who.gid !== undefined) chownSync(dataDir, who.uid, who.gid);
        await runStep(
          'postgres initdb',
          `${POSTGRES_BIN}/initdb`,
          ['-D', dataDir, '-U', POSTGRES_USER, '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8'],
          {
            cwd: dataDir,
            log: join(paths.logs, 'prepare-postgres.log'),
            hint: `delete ${dataDir} and start again; it must be writable by ${who.name}`,
            env: config.env,
            uid: who.uid,
            gid: who.gid,
          },
        );
      }
      return spawnDetached({
        name: 'postgres',
        command: `${POSTGRES_BIN}/postgres`,
        args: [
          '-D',
          dataDir,
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          `port=${port}`,
          '-c',
          'unix_socket_directories=',
          '-c',
          'max_connections=300',
          '-c',
          'shared_preload_libraries=pg_cron,pg_documentdb_core,pg_documentdb',
          '-c',
          `cron.database_name=${FERRETDB_DATABASE}`,
          // A throwaway local store: no fsync per commit.
          '-c',
          'fsync=off',
          '-c',
          'synchronous_commit=off',
          '-c',
          'full_page_writes=off',
        ],
        cwd: dataDir,
        env: config.env,
        logFile,
        pidFile: join(paths.pids, 'postgres.pid'),
        uid: who.uid,
        gid: who.gid,
      });
    },

    async ready(progress) {
      // Idempotent: the extension (with its dependencies) in FerretDB's database, and the
      // registry's database.
      const have = await psql(
        port,
        FERRETDB_DATABASE,
        "SELECT count(*) FROM pg_extension WHERE extname = 'documentdb'",
      );
      if (have !== '1') {
        progress('postgres: CREATE EXTENSION documentdb CASCADE (first start of this cluster)');
        await psql(port, FERRETDB_DATABASE, 'CREATE EXTENSION IF NOT EXISTS documentdb CASCADE', 120_000);
      }
      const db = await psql(
        port,
        FERRETDB_DATABASE,
        `SELECT count(*) FROM pg_database WHERE datname = '${REGISTRY_DATABASE}'`,
      );
      if (db !== '1') await psql(port, FERRETDB_DATABASE, `CREATE DATABASE ${REGISTRY_DATABASE}`);
    },

    async probe() {
      if (!(await tcpOpen(port))) return { healthy: false, reason: `nothing listens on 127.0.0.1:${port}` };
      try {
        const row = await psql(
          port,
          FERRETDB_DATABASE,
          "SELECT current_setting('server_version') || '|' || coalesce((SELECT string_agg(extname || ' ' || extversion, ', ' ORDER BY extname) FROM pg_extension WHERE extname IN ('documentdb', 'vector', 'pg_cron')), 'no extensions yet')",
        );
        const [server, extensions] = row.split('|');
        return {
          healthy: true,
          version: (server ?? row).split(' ')[0] ?? row,
          detail: `PostgreSQL; ${extensions}`,
        };
      } catch (error) {
        return {
          healthy: false,
          reason: `port open but psql failed (${error instanceof Error ? error.message : String(error)})`,
        };
      }
    },
  };
}
