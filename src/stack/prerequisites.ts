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

/** Versions the local stack runs; stack/pom.xml and the go.mod files under stack/ pin the same. */
const KAFKA_VERSION = '3.9.1';
const FERRETDB_VERSION = 'v2.5.0';
const REGISTRY_VERSION = 'v0.2.1';

/** The folder of Kafka jars (the broker's classpath), fetched with Maven on first use. */
export function kafkaJarsDir(paths: StackPaths): string {
  return join(paths.cache, `kafka-${KAFKA_VERSION}`);
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

/** A Go program the stack builds from the Go module proxy. */
export interface GoProgram {
  /** Service name, for messages and the log file (prepare-<name>.log). */
  name: string;
  /** The pinned module (stack/<pinDir>/go.mod requires it; go.sum holds its checksum). */
  module: string;
  version: string;
  pinDir: string;
  /** The package to build inside the module, e.g. ./cmd/ferretdb. */
  pkg: string;
  /** The binary in the cache: its name carries the version, so a new pin rebuilds. */
  binary: string;
  ldflags?: string;
  /** Edits the writable copy of the module before the build. */
  prepareSource?: (work: string, log: string) => void;
  /** How long it takes, for the progress line. */
  expect: string;
}

/** FerretDB v2, the MongoDB wire protocol on PostgreSQL with the DocumentDB extension. */
export function ferretdbProgram(paths: StackPaths): GoProgram {
  return {
    name: 'ferretdb',
    module: 'github.com/FerretDB/FerretDB/v2',
    version: FERRETDB_VERSION,
    pinDir: 'ferretdb',
    pkg: './cmd/ferretdb',
    binary: join(paths.cache, `ferretdb-${FERRETDB_VERSION}`),
    expect: 'about 1 min cold, seconds with a warm Go cache',
    prepareSource(work, log) {
      // The module zip lacks the generated build/version/version.txt; without it the
      // binary panics at start ("Invalid build/version/version.txt").
      writeFileSync(join(work, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
      // cmd/ferretdb/gomaxprocs.go is guarded by `//go:build !go1.25` (Go 1.25 sets
      // GOMAXPROCS from cgroups itself), but main.go calls setGOMAXPROCS on every Go
      // version, so with Go >= 1.25 the build fails with "undefined: setGOMAXPROCS".
      const file = join(work, 'cmd', 'ferretdb', 'gomaxprocs.go');
      const text = readFileSync(file, 'utf8');
      const constraint = '//go:build !go1.25\n';
      if (text.includes(constraint)) {
        writeFileSync(file, text.replace(constraint, ''));
        appendFileSync(log, 'removed the //go:build !go1.25 line of cmd/ferretdb/gomaxprocs.go\n');
      }
    },
  };
}

/** AxonOps Schema Registry: Confluent's REST API, schemas stored in PostgreSQL. */
export function registryProgram(paths: StackPaths): GoProgram {
  return {
    name: 'registry',
    module: 'github.com/axonops/axonops-schema-registry',
    version: REGISTRY_VERSION,
    pinDir: 'schema-registry',
    pkg: './cmd/schema-registry',
    binary: join(paths.cache, `axonops-schema-registry-${REGISTRY_VERSION}`),
    ldflags: `-X main.version=${REGISTRY_VERSION}`,
    expect: 'about 1.5 min cold, seconds with a warm Go cache',
  };
}

/**
 * Builds a Go program from the Go module proxy, once per machine. `go install …@version`
 * does not work here: the proxy answers 403 on the module's @v/list. So: download the
 * module pinned by stack/<pinDir>/go.mod (checksum in go.sum), copy it to a writable
 * folder, let prepareSource edit it, and `go build` there.
 */
export async function ensureGoProgram(
  program: GoProgram,
  paths: StackPaths,
  env: ChildEnv,
  progress: Progress,
): Promise<string> {
  const { binary } = program;
  if (existsSync(binary)) return binary;
  const started = Date.now();
  progress(
    `${program.name}: building ${program.module} ${program.version} with Go into ${binary} (first run only; ${program.expect})`,
  );
  const log = join(paths.logs, `prepare-${program.name}.log`);
  const hint = 'install Go >= 1.24 (https://go.dev/dl/) and check that the Go module proxy is reachable';
  const goEnv = { ...env, GOFLAGS: '-mod=mod -buildvcs=false', GOTOOLCHAIN: 'local' };
  const downloaded = await runStep(
    `${program.name} download`,
    'go',
    ['mod', 'download', '-json', program.module],
    { cwd: join(paths.templates, program.pinDir), log, hint, env: goEnv, capture: true },
  );
  const source = (JSON.parse(downloaded) as { Dir?: string }).Dir;
  if (!source)
    throw new StackUnavailableError(
      `${program.name} download: go mod download gave no module folder; see ${shownPath(log)}`,
    );

  mkdirSync(paths.cache, { recursive: true });
  const work = join(paths.cache, `${program.name}-src-${program.version}.partial-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  cpSync(source, work, { recursive: true });
  makeWritable(work);
  program.prepareSource?.(work, log);
  const staged = `${binary}.partial-${process.pid}`;
  const args = ['build', '-o', staged];
  if (program.ldflags) args.push(`-ldflags=${program.ldflags}`);
  args.push(program.pkg);
  try {
    await runStep(`${program.name} build`, 'go', args, { cwd: work, log, hint, env: goEnv });
    renameSync(staged, binary);
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(staged, { force: true });
  }
  progress(`${program.name}: built ${binary} in ${seconds(started)}`);
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
  /** Run as this user (the stack runs PostgreSQL as a non-root user). */
  uid?: number;
  gid?: number;
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
      uid: options.uid,
      gid: options.gid,
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

/** The module cache is read-only; the build writes version.txt into the copy. */
function makeWritable(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    chmodSync(path, entry.isDirectory() ? 0o755 : 0o644);
  }
  chmodSync(dir, 0o755);
}

export function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}
