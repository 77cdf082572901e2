import { spawn } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { StackUnavailableError } from '../errors.js';
import { logTail, shownPath } from './health.js';
import type { StackPaths } from './paths.js';
import type { Progress } from './service.js';

/** Versions the local stack runs; stack/pom.xml and stack/ferretdb/go.mod pin the same. */
export const KAFKA_VERSION = '3.9.1';
export const FERRETDB_VERSION = 'v1.24.2';

/** The folder of Kafka jars (the broker's classpath), fetched with Maven on first use. */
export function kafkaJarsDir(paths: StackPaths): string {
  return join(paths.cache, `kafka-${KAFKA_VERSION}`);
}

/**
 * Our source patches of FerretDB, applied before the build; the binary's name carries
 * their tag so that a machine with an older build rebuilds.
 *
 * `sqlite-id-index`: FerretDB 1.24's SQLite backend creates each collection's `_id` index
 * on `_ferretdb_sjson->"_id"` but filters `_id` lookups, updates and deletes with
 * `_ferretdb_sjson->'$._id'`. SQLite matches index expressions literally, so every `_id`
 * lookup scanned the whole table (`explain` said `SCAN movies_…`): 90 ms per find at
 * 1,000 movies under load, growing with the collection. Using the index's own expression
 * makes them `SEARCH … USING INDEX …__id_`. The same class of bug on PostgreSQL:
 * FerretDB/FerretDB#4646.
 */
export const FERRETDB_PATCHES = [
  {
    tag: 'sqlite-id-index',
    file: 'internal/backends/sqlite/metadata/metadata.go',
    from: `IDColumn = DefaultColumn + "->'$._id'"`,
    to: 'IDColumn = DefaultColumn + "->\\"_id\\""',
  },
] as const;

/** The FerretDB binary, built from the Go module proxy (with FERRETDB_PATCHES) on first use. */
export function ferretdbBinary(paths: StackPaths): string {
  return join(paths.cache, `ferretdb-${FERRETDB_VERSION}-${FERRETDB_PATCHES.map((p) => p.tag).join('-')}`);
}

/**
 * Copies Kafka and its runtime dependencies from Maven Central (through ~/.m2) into the
 * cache, once per machine: every clone reuses the folder. A `.complete` marker is written
 * last, so an interrupted fetch is redone instead of leaving a broken classpath.
 */
export async function ensureKafkaJars(paths: StackPaths, env: ChildEnv, progress: Progress): Promise<string> {
  const dir = kafkaJarsDir(paths);
  if (existsSync(join(dir, '.complete'))) return dir;
  const started = Date.now();
  progress(
    `kafka: fetching Kafka ${KAFKA_VERSION} jars with Maven into ${dir} (first run only; about a minute with an empty ~/.m2)`,
  );
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  await runStep(
    'kafka jars',
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      join(paths.templates, 'pom.xml'),
      'dependency:copy-dependencies',
      `-DoutputDirectory=${staging}`,
      '-DincludeScope=runtime',
    ],
    {
      cwd: paths.templates,
      env,
      log: join(paths.logs, 'prepare-kafka.log'),
      hint: 'install Maven and Java 17 (apt-get install maven openjdk-17-jre-headless) and check that Maven Central is reachable',
    },
  );
  const jars = readdirSync(staging).filter((f) => f.endsWith('.jar'));
  if (!jars.includes(`kafka_2.13-${KAFKA_VERSION}.jar`)) {
    throw new StackUnavailableError(
      `kafka jars: Maven finished but ${staging} has no kafka_2.13-${KAFKA_VERSION}.jar; see ${shownPath(join(paths.logs, 'prepare-kafka.log'))}`,
    );
  }
  writeFileSync(join(staging, '.complete'), `${new Date().toISOString()}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  progress(`kafka: ${jars.length} jars ready in ${seconds(started)}`);
  return dir;
}

/**
 * Builds FerretDB from the Go module proxy, once per machine. `go install …@v1.24.2` does
 * not work: the proxy answers 403 on the module's @v/list (the deprecation lookup), and a
 * binary built straight from the module zip panics at start with "Invalid
 * build/version/version.txt" because the zip lacks that generated file. So: download the
 * module pinned by stack/ferretdb/go.mod (checksum in go.sum), copy it to a writable
 * folder, write version.txt, and `go build` there.
 */
export async function ensureFerretdb(paths: StackPaths, env: ChildEnv, progress: Progress): Promise<string> {
  const binary = ferretdbBinary(paths);
  if (existsSync(binary)) return binary;
  const started = Date.now();
  progress(
    `ferretdb: building FerretDB ${FERRETDB_VERSION} with Go into ${binary} (first run only; about 2 min cold, seconds with a warm Go cache)`,
  );
  const log = join(paths.logs, 'prepare-ferretdb.log');
  const hint = 'install Go >= 1.24 (https://go.dev/dl/) and check that the Go module proxy is reachable';
  const goEnv = { ...env, GOFLAGS: '-mod=mod -buildvcs=false', GOTOOLCHAIN: 'local' };
  const moduleDir = join(paths.templates, 'ferretdb');
  const downloaded = await runStep(
    'ferretdb download',
    'go',
    ['mod', 'download', '-json', 'github.com/FerretDB/FerretDB'],
    { cwd: moduleDir, log, hint, env: goEnv, capture: true },
  );
  const source = (JSON.parse(downloaded) as { Dir?: string }).Dir;
  if (!source)
    throw new StackUnavailableError(
      `ferretdb download: go mod download gave no module folder; see ${shownPath(log)}`,
    );

  const work = join(paths.cache, `ferretdb-src-${FERRETDB_VERSION}.partial-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  cpSync(source, work, { recursive: true });
  makeWritable(work);
  writeFileSync(join(work, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
  applyPatches(work, log);
  const staged = `${binary}.partial-${process.pid}`;
  try {
    await runStep('ferretdb build', 'go', ['build', '-o', staged, './cmd/ferretdb'], {
      cwd: work,
      log,
      hint,
      env: goEnv,
    });
    renameSync(staged, binary);
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(staged, { force: true });
  }
  progress(`ferretdb: built ${binary} in ${seconds(started)}`);
  return binary;
}

/** The environment a child process inherits (StackConfig.env). */
export type ChildEnv = Record<string, string | undefined>;

export interface StepOptions {
  cwd: string;
  log: string;
  hint: string;
  env: ChildEnv;
  /** Return stdout instead of only logging it. */
  capture?: boolean;
}

/** Runs one prerequisite command, logging its output; fails with the log tail and the fix. */
export function runStep(
  step: string,
  command: string,
  args: string[],
  options: StepOptions,
): Promise<string> {
  mkdirSync(join(options.log, '..'), { recursive: true });
  const log = createWriteStream(options.log, { flags: 'a' });
  log.write(`\n$ ${command} ${args.join(' ')}   (in ${options.cwd}, ${new Date().toISOString()})\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (options.capture) stdout += chunk.toString();
      log.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => log.write(chunk));
    child.once('error', (error) => {
      log.end();
      reject(
        new StackUnavailableError(
          `${step}: could not run ${command} (${error.message}). Fix: ${options.hint}`,
          { cause: error },
        ),
      );
    });
    child.once('close', (code) => {
      log.end(() => {
        if (code === 0) {
          resolve(stdout);
          return;
        }
        const tail = logTail(options.log, 20).replace(/^/gm, '    | ');
        reject(
          new StackUnavailableError(
            `${step}: ${command} ${args.join(' ')} exited with ${code}.\n  Log: ${shownPath(options.log)}\n${tail}\n  Fix: ${options.hint}`,
          ),
        );
      });
    });
  });
}

/** Applies FERRETDB_PATCHES to the source copy; a line not found (another FerretDB version) stops the build. */
function applyPatches(work: string, log: string): void {
  for (const patch of FERRETDB_PATCHES) {
    const path = join(work, patch.file);
    const text = readFileSync(path, 'utf8');
    if (!text.includes(patch.from)) {
      throw new StackUnavailableError(
        `ferretdb patch ${patch.tag}: ${patch.file} no longer contains ${patch.from}; the patch was written for FerretDB ${FERRETDB_VERSION}. Fix: update or drop it in src/stack/prerequisites.ts`,
      );
    }
    writeFileSync(path, text.replace(patch.from, patch.to));
    appendFileSync(log, `patched ${patch.file} (${patch.tag})\n`);
  }
}

/** The module cache is read-only; the build writes version.txt into the copy. */
function makeWritable(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    chmodSync(path, entry.isDirectory() ? 0o755 : 0o644);
  }
  chmodSync(dir, 0o755);
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}
