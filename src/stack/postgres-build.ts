import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { StackUnavailableError } from '../errors.js';
import { shownPath } from './health.js';
import { repoRoot, type StackPaths } from './paths.js';
import { runStep, seconds, type ChildEnv } from './prerequisites.js';
import type { Progress } from './service.js';

/** The PostgreSQL the stack runs: Debian's packages of this major version. */
export const POSTGRES_MAJOR = 15;
export const POSTGRES_BIN = `/usr/lib/postgresql/${POSTGRES_MAJOR}/bin`;
const PG_CONFIG = `${POSTGRES_BIN}/pg_config`;

/**
 * Debian packages the store needs: the server, its headers and the libraries the
 * DocumentDB extension builds against, PostGIS and RUM (CREATE EXTENSION documentdb
 * CASCADE pulls them in), and a C tool chain.
 */
const POSTGRES_PACKAGES = [
  `postgresql-${POSTGRES_MAJOR}`,
  `postgresql-server-dev-${POSTGRES_MAJOR}`,
  `postgresql-${POSTGRES_MAJOR}-postgis-3`,
  `postgresql-${POSTGRES_MAJOR}-rum`,
  'libbson-dev',
  'libpcre2-dev',
  'libintelrdfpmath-dev',
  'libkrb5-dev',
  'pkg-config',
  'make',
  'gcc',
] as const;

/** A PostgreSQL extension built from a pinned release archive. */
interface ExtensionSource {
  name: string;
  version: string;
  /** The archive in ../shared/vendor (or downloaded from url), checked against sha256. */
  file: string;
  sha256: string;
  url: string;
  /** make targets run in the unpacked folder; each is followed by `make install`. */
  dirs: string[];
  makeArgs: string[];
}

/**
 * Debian 12 has no pgvector package and its pg_cron (1.4.2) makes CREATE EXTENSION
 * documentdb fail ("invalid schedule: 2 seconds"), and DocumentDB is in no registry: all
 * three come from their release archives (`git archive` of the tag), pinned by checksum.
 */
const EXTENSIONS: ExtensionSource[] = [
  {
    name: 'pgvector',
    version: '0.8.0',
    file: 'pgvector-0.8.0.tar.gz',
    sha256: '93df40ccdaaaa267d1275c1e6e773004a0e5ff8e14227934a4ec7e8205d0f608',
    url: 'https://github.com/pgvector/pgvector/archive/refs/tags/v0.8.0.tar.gz',
    dirs: ['.'],
    makeArgs: [],
  },
  {
    name: 'pg_cron',
    version: '1.6.3',
    file: 'pg_cron-1.6.3.tar.gz',
    sha256: '3580f4034021e62e459f9f7ab1f625774bfc534a9256844545da85d6f99c2f5b',
    url: 'https://github.com/citusdata/pg_cron/archive/refs/tags/v1.6.3.tar.gz',
    dirs: ['.'],
    makeArgs: [],
  },
  {
    name: 'documentdb',
    version: '0.106.0-ferretdb-2.5.0',
    file: 'documentdb-0.106.0-ferretdb-2.5.0.tar.gz',
    sha256: '3ba0408eee7c3bc67933da50034092ee77e2aa79b61234c1216b0a1ffac21df1',
    url: 'https://github.com/FerretDB/documentdb/archive/refs/tags/v0.106.0-ferretdb-2.5.0.tar.gz',
    dirs: ['pg_documentdb_core', 'pg_documentdb'],
    // Debian 12's libbson (1.23) lacks BSON_SUBTYPE_SENSITIVE (added in 1.24 as 8);
    // the switch over subtypes then warns, which -Werror turns into an error. No LLVM
    // bitcode: Debian's server headers point at a clang that is not installed.
    makeArgs: ['COPT=-DBSON_SUBTYPE_SENSITIVE=8 -Wno-error=switch', 'with_llvm=no'],
  },
];

/** Where the release archives are found in this workplace (a clone beside ../shared). */
const vendorDir = join(repoRoot, '..', 'shared', 'vendor');

/** The cache folder of the built extensions (a DESTDIR tree): its name carries every version. */
function extensionsDir(paths: StackPaths): string {
  const key = EXTENSIONS.map((e) => `${e.name}-${e.version}`).join('-');
  return join(paths.cache, `postgres-${POSTGRES_MAJOR}-${key}`);
}

/** Debian packages from POSTGRES_PACKAGES that are not installed. */
function missingPackages(env: ChildEnv): string[] {
  return POSTGRES_PACKAGES.filter((pkg) => {
    try {
      const status = execFileSync('dpkg-query', ['-W', '-f=${Status}', pkg], {
        env,
        stdio: ['ignore', 'pipe', 'ignore'],
      }).toString();
      return !status.includes('install ok installed');
    } catch {
      return true;
    }
  });
}

/**
 * Installs the missing Debian packages with apt-get when we are root; otherwise stops
 * with the command to run. On a machine without dpkg it only checks that PostgreSQL's
 * server and pg_config are where Debian puts them.
 */
export async function ensurePostgresPackages(
  paths: StackPaths,
  env: ChildEnv,
  progress: Progress,
): Promise<void> {
  const hasDpkg = (() => {
    try {
      execFileSync('dpkg-query', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  if (!hasDpkg) {
    if (existsSync(`${POSTGRES_BIN}/postgres`) && existsSync(PG_CONFIG)) return;
    throw new StackUnavailableError(
      `postgres: no dpkg here and no PostgreSQL ${POSTGRES_MAJOR} in ${POSTGRES_BIN}. Fix: install PostgreSQL ${POSTGRES_MAJOR} with its server headers, libbson, libpcre2, the Intel decimal library, PostGIS 3 and RUM (Debian: apt-get install ${POSTGRES_PACKAGES.join(' ')})`,
    );
  }
  const missing = missingPackages(env);
  if (missing.length === 0) return;
  const command = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new StackUnavailableError(
      `postgres: missing Debian packages ${missing.join(', ')} and not root, so they cannot be installed here. Fix: sudo ${command}, then run the command again`,
    );
  }
  const started = Date.now();
  progress(`postgres: installing Debian packages with apt-get: ${missing.join(' ')} (first run only)`);
  const log = join(paths.logs, 'prepare-postgres.log');
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  const hint = `check that the Debian mirrors are reachable, then run: ${command}`;
  const aptArgs = [
    '-o',
    'DPkg::Lock::Timeout=600',
    '-q',
    '-y',
    '--no-install-recommends',
    'install',
    ...missing,
  ];
  await runStep('postgres packages', 'apt-get', ['-o', 'DPkg::Lock::Timeout=600', '-q', 'update'], {
    cwd: paths.root,
    log,
    hint,
    env: aptEnv,
  });
  await runStep('postgres packages', 'apt-get', aptArgs, { cwd: paths.root, log, hint, env: aptEnv });
  progress(`postgres: Debian packages installed in ${seconds(started)}`);
}

/**
 * Builds pgvector, pg_cron and DocumentDB into a DESTDIR tree in the cache, once per
 * machine (about 2 minutes on 2 cores), then copies the tree into PostgreSQL's own
 * folders when a file there is missing or different: PostgreSQL 15 loads extensions
 * only from its sharedir and pkglibdir. Copying needs root once; a warm `up` compares
 * files and copies nothing.
 */
export async function ensurePostgresExtensions(
  paths: StackPaths,
  env: ChildEnv,
  progress: Progress,
): Promise<void> {
  const dir = extensionsDir(paths);
  const log = join(paths.logs, 'prepare-postgres.log');
  if (!existsSync(join(dir, '.complete'))) await buildExtensions(dir, env, progress, log);
  installTree(dir, progress);
}

async function buildExtensions(dir: string, env: ChildEnv, progress: Progress, log: string): Promise<void> {
  const started = Date.now();
  progress(
    `postgres: building ${EXTENSIONS.map((e) => `${e.name} ${e.version}`).join(', ')} into ${dir} (first run only; about 2 min on 2 cores)`,
  );
  const staging = `${dir}.partial-${process.pid}`;
  const work = `${dir}.src-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  // DocumentDB asks pkg-config for `intelmathlib`, which Debian's libintelrdfpmath-dev
  // does not describe.
  const pcDir = join(work, 'pkgconfig');
  mkdirSync(pcDir, { recursive: true });
  writeFileSync(
    join(pcDir, 'intelmathlib.pc'),
    'Name: intelmathlib\nDescription: Intel decimal floating-point library (Debian libintelrdfpmath-dev)\nVersion: 2.0\nCflags: -I/usr/include\nLibs: -lbidgcc000\n',
  );
  const buildEnv = {
    ...env,
    PKG_CONFIG_PATH: [pcDir, env.PKG_CONFIG_PATH].filter(Boolean).join(':'),
  };
  const hint = `install the Debian packages ${POSTGRES_PACKAGES.join(' ')}; the full build output is in the log`;
  try {
    for (const extension of EXTENSIONS) {
      const archive = await sourceArchive(extension, work, progress);
      await runStep(`${extension.name} unpack`, 'tar', ['xzf', archive, '-C', work], {
        cwd: work,
        log,
        hint,
        env: buildEnv,
      });
      const top = join(work, extension.file.replace(/\.tar\.gz$/, ''));
      for (const sub of extension.dirs) {
        const common = [`PG_CONFIG=${PG_CONFIG}`, ...extension.makeArgs];
        await runStep(`${extension.name} build`, 'make', ['-C', join(top, sub), '-j2', ...common], {
          cwd: work,
          log,
          hint,
          env: buildEnv,
        });
        await runStep(
          `${extension.name} install`,
          'make',
          ['-C', join(top, sub), 'install', `DESTDIR=${staging}`, ...common],
          { cwd: work, log, hint, env: buildEnv },
        );
      }
    }
    writeFileSync(join(staging, '.complete'), `${new Date().toISOString()}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(staging, { recursive: true, force: true });
  }
  progress(`postgres: extensions built in ${seconds(started)}`);
}

/**
 * The release archive of one extension: from ../shared/vendor when it is there,
 * otherwise downloaded from the project's tag archive (and said so); either way checked
 * against the pinned sha256.
 */
async function sourceArchive(extension: ExtensionSource, work: string, progress: Progress): Promise<string> {
  const vendored = join(vendorDir, extension.file);
  let path = vendored;
  if (!existsSync(vendored)) {
    path = join(work, extension.file);
    progress(`postgres: ${shownPath(vendored)} is not here; downloading ${extension.url}`);
    try {
      const response = await fetch(extension.url, { signal: AbortSignal.timeout(120_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      writeFileSync(path, Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      throw new StackUnavailableError(
        `postgres: the ${extension.name} ${extension.version} sources are neither in ${vendored} nor downloadable from ${extension.url} (${error instanceof Error ? error.message : String(error)}). Fix: put ${extension.file} (sha256 ${extension.sha256}) into ${vendored}, or run where ${new URL(extension.url).host} is reachable`,
      );
    }
  }
  const actual = createHash('sha256').update(readFileSync(path)).digest('hex');
  if (actual !== extension.sha256) {
    throw new StackUnavailableError(
      `postgres: ${path} has sha256 ${actual}, expected ${extension.sha256} (${extension.name} ${extension.version}). Fix: replace it with the release archive the project pins`,
    );
  }
  return path;
}

/** Copies every file of the DESTDIR tree to / when the installed file is missing or differs. */
function installTree(tree: string, progress: Progress): void {
  const changed: string[] = [];
  for (const entry of readdirSync(tree, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.name === '.complete') continue;
    const from = join(entry.parentPath, entry.name);
    const to = `/${relative(tree, from)}`;
    if (
      existsSync(to) &&
      statSync(to).size === statSync(from).size &&
      readFileSync(to).equals(readFileSync(from))
    )
      continue;
    changed.push(to);
  }
  if (changed.length === 0) return;
  progress(
    `postgres: installing ${changed.length} extension file(s) into PostgreSQL ${POSTGRES_MAJOR}'s folders`,
  );
  try {
    for (const to of changed) {
      mkdirSync(dirname(to), { recursive: true });
      // Never write into the installed file: a running PostgreSQL has its libraries mapped,
      // and rewriting one in place crashes its backends (signal 11). A new file renamed
      // over the old one leaves the mapped one intact.
      const staged = `${to}.festival-resolver-${process.pid}`;
      copyFileSync(join(tree, to), staged);
      renameSync(staged, to);
    }
  } catch (error) {
    throw new StackUnavailableError(
      `postgres: cannot install the extensions built in ${tree} (${error instanceof Error ? error.message : String(error)}). Fix: run once as root (sudo cp -r ${tree}/usr /), then start again`,
    );
  }
}
