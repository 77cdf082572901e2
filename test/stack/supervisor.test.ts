import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import {
  isAlive,
  ownsProcess,
  readPid,
  spawnDetached,
  stopProcess,
  withLock,
} from '../../src/stack/supervisor.js';

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'festival-resolver-supervisor-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Starts `node -e script` detached, with the temp dir on its command line as the marker. */
async function detachedNode(dir: string, script: string): Promise<number> {
  const pid = await spawnDetached({
    name: 'test',
    command: process.execPath,
    args: ['-e', script, dir],
    cwd: dir,
    logFile: join(dir, 'logs', 'test.log'),
    pidFile: join(dir, 'pids', 'test.pid'),
  });
  onTestFinished(async () => {
    await stopProcess(pid, 1000);
  });
  return pid;
}

describe('supervisor', () => {
  test('when a process is spawned detached, then its pid file names it, its output goes to the log and it carries the marker', async () => {
    const dir = tempDir();

    const pid = await detachedNode(dir, "console.log('hello from the child'); setInterval(() => {}, 1000)");

    expect(readPid(join(dir, 'pids', 'test.pid'))).toBe(pid);
    expect(isAlive(pid)).toBe(true);
    expect(ownsProcess(pid, dir)).toBe(true);
    expect(ownsProcess(pid, '/some/other/stack/')).toBe(false);
    await expect
      .poll(() => readFileSync(join(dir, 'logs', 'test.log'), 'utf8'))
      .toContain('hello from the child');
  });

  test('when a process exits on SIGTERM, then stop reports it terminated and it is gone', async () => {
    const dir = tempDir();
    const pid = await detachedNode(dir, 'setInterval(() => {}, 1000)');

    expect(await stopProcess(pid, 5000)).toBe('terminated');
    expect(isAlive(pid)).toBe(false);
  });

  test('when a process ignores SIGTERM, then stop kills it after the grace period', async () => {
    const dir = tempDir();
    const pid = await detachedNode(
      dir,
      "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)",
    );
    await expect.poll(() => readFileSync(join(dir, 'logs', 'test.log'), 'utf8')).toContain('ready');

    expect(await stopProcess(pid, 500)).toBe('killed');
    expect(isAlive(pid)).toBe(false);
  });

  test('when the command does not exist, then spawning fails with a stack error naming it', async () => {
    const dir = tempDir();

    await expect(
      spawnDetached({
        name: 'ghost',
        command: join(dir, 'no-such-binary'),
        args: [],
        cwd: dir,
        logFile: join(dir, 'g.log'),
        pidFile: join(dir, 'g.pid'),
      }),
    ).rejects.toMatchObject({
      code: 'STACK_UNAVAILABLE',
      message: expect.stringContaining('no-such-binary'),
    });
    expect(existsSync(join(dir, 'g.pid'))).toBe(false);
  });

  test('when two callers take the same lock, then the second runs only after the first is done', async () => {
    const dir = tempDir();
    const lock = join(dir, 'up.lock');
    const order: string[] = [];
    let waited = false;

    await Promise.all([
      withLock(
        lock,
        5000,
        () => undefined,
        async () => {
          order.push('first start');
          await new Promise((r) => setTimeout(r, 300));
          order.push('first end');
        },
      ),
      new Promise((r) => setTimeout(r, 50)).then(() =>
        withLock(
          lock,
          5000,
          () => (waited = true),
          () => {
            order.push('second');
            return Promise.resolve();
          },
        ),
      ),
    ]);

    expect(order).toEqual(['first start', 'first end', 'second']);
    expect(waited).toBe(true);
    expect(existsSync(lock)).toBe(false);
  });
});
