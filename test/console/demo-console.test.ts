import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadStackConfig } from '../../src/stack/config.js';
import { removePreviousRuns } from '../../src/ops/demo/previous-runs.js';
import { createLocalStack } from '../../src/stack/stack.js';
import { adminForTest, kafkaForTest } from '../helpers/kafka.js';

/** `festival-resolver demo --keep-running` prints the console's address and leaves it up until Ctrl-C. */

function stackAddresses() {
  const services = createLocalStack(loadStackConfig()).services;
  const address = (name: string) => services.find((s) => s.name === name)?.address ?? '';
  return { kafka: address('kafka'), mongo: address('ferretdb'), registry: address('registry') };
}

function stackEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] =>
        e[1] !== undefined && (e[0].startsWith('STACK_') || e[0] === 'XDG_CACHE_HOME'),
    ),
  );
}

describe('the demo and the console', () => {
  it('when the demo runs with --keep-running, then it prints the console address and the console answers until the demo is stopped', async () => {
    const namespace = `democonsole${randomBytes(3).toString('hex')}`;
    const stack = stackAddresses();
    const mongo = new MongoClient(stack.mongo, { serverSelectionTimeoutMS: 10_000 });
    await mongo.connect();
    const admin = await adminForTest(kafkaForTest(namespace));
    onTestFinished(async () => {
      await removePreviousRuns({
        namespace,
        currentRunId: '',
        admin,
        mongo,
        registryUrl: stack.registry,
      }).catch(() => undefined);
      await rm(join(createLocalStack(loadStackConfig()).paths.root, `${namespace}-prometheus`), {
        recursive: true,
        force: true,
      });
      await admin.disconnect();
      await mongo.close();
    });

    const bin = fileURLToPath(new URL('../../bin/festival-resolver.js', import.meta.url));
    const child = spawn(
      process.execPath,
      [
        bin,
        'demo',
        '--size',
        '12',
        '--seed',
        '3',
        '--namespace',
        namespace,
        '--keep-running',
        '--no-prometheus',
      ],
      {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...stackEnv() },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    onTestFinished(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`the demo did not reach --keep-running: ${stdout.slice(-2000)} ${stderr.slice(-2000)}`),
          ),
        150_000,
      );
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        if (/press Ctrl-C to stop them/.test(stdout)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`the demo exited with ${code}: ${stderr.slice(-2000)}`)));
    });

    const url = /curator's console: (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    expect(url, stdout).toBeDefined();
    expect(stdout).toMatch(/read-only: set CONSOLE_TOKEN/);
    expect(stdout).toContain(`console        ${url}: review queue, movies, KPI charts`);
    const kpis = await fetch(`${url}/kpis?since=24h`);
    expect(kpis.status).toBe(200);
    expect(await kpis.text()).toContain('(a) Lookup success by source');
    expect((await fetch(`${url}/review`)).status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/review`)).rejects.toThrow();
  }, 200_000);
});
