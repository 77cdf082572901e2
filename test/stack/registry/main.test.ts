import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, expect, it, onTestFinished } from 'vitest';
import { testDataDir } from './registry-fixture.js';

describe('schema registry stand-in entry point', () => {
  it('when started with --port 0 --data-dir, then it logs one JSON start line with its URL, serves, and exits 0 on SIGTERM', async () => {
    const dataDir = await testDataDir();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/stack/registry/main.ts', '--port', '0', '--data-dir', dataDir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const lines = createInterface({ input: child.stdout });
    const exited = once(child, 'exit');

    const [firstLine] = (await once(lines, 'line')) as [string];
    const started = JSON.parse(firstLine) as { msg: string; url: string; component: string };
    expect(started).toMatchObject({
      msg: 'schema registry stand-in listening',
      component: 'schema-registry',
    });
    expect(await (await fetch(`${started.url}/subjects`)).json()).toEqual([]);

    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
  });

  it('when --data-dir is missing, then it exits with usage status 2', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/stack/registry/main.ts', '--port', '0'], {
      stdio: 'ignore',
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(2);
  });
});
