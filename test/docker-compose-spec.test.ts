import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '../src/stack/config.js';

// docker-compose.yml parsed and validated by compose-go (the library `docker compose` is
// built on), so an unknown key or a malformed value fails here, without a Docker engine.

const run = promisify(execFile);
const root = fileURLToPath(new URL('../', import.meta.url));
const source = join(root, 'stack', 'compose-check');
let checker = '';

/** Builds stack/compose-check once per go.sum and main.go into the stack's cache. */
async function buildChecker(): Promise<string> {
  const config = loadStackConfig(process.env);
  const key = createHash('sha256')
    .update(readFileSync(join(source, 'go.sum')))
    .update(readFileSync(join(source, 'main.go')))
    .digest('hex')
    .slice(0, 12);
  const binary = join(config.cacheDir, `compose-check-${key}`);
  if (existsSync(binary)) return binary;
  mkdirSync(config.cacheDir, { recursive: true });
  await run('go', ['build', '-o', binary, '.'], {
    cwd: source,
    env: { ...config.env, GOFLAGS: '-mod=mod -buildvcs=false', GOTOOLCHAIN: 'local' },
  });
  return binary;
}

async function check(
  file: string,
): Promise<{ ok: true; project: { services: Record<string, unknown> } } | { ok: false; message: string }> {
  try {
    const { stdout } = await run(checker, [file], { maxBuffer: 10 * 1024 * 1024 });
    return { ok: true, project: JSON.parse(stdout) as { services: Record<string, unknown> } };
  } catch (error) {
    return { ok: false, message: String((error as { stderr?: string }).stderr ?? error) };
  }
}

describe('docker-compose.yml against the Compose specification (compose-go)', () => {
  beforeAll(async () => {
    checker = await buildChecker();
  }, 300_000);

  it('when compose-go loads docker-compose.yml, then it is valid and holds the production services', async () => {
    const result = await check(join(root, 'docker-compose.yml'));
    if (!result.ok) throw new Error(result.message);
    expect(Object.keys(result.project.services).sort()).toEqual(
      expect.arrayContaining([
        'festival-resolver',
        'kafka',
        'mongo',
        'schema-registry',
        'prometheus',
        'grafana',
      ]),
    );
  });

  it('when a service carries an unknown key, then compose-go refuses the file and names the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-check-'));
    try {
      const broken = readFileSync(join(root, 'docker-compose.yml'), 'utf8').replace(
        /^(\s+)image: mongo/m,
        '$1imagee: mongo',
      );
      expect(broken).toContain('imagee: mongo');
      writeFileSync(join(dir, 'docker-compose.yml'), broken);
      const result = await check(join(dir, 'docker-compose.yml'));
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(/imagee is not allowed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
