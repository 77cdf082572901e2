import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const prometheusDir = fileURLToPath(new URL('../../prometheus/', import.meta.url));

async function promtool(...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('promtool', args, { cwd: prometheusDir });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT')
      throw new Error(
        "promtool is not installed: .ci/run installs Debian's prometheus package (apt-get install prometheus)",
      );
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('Prometheus alert rules', () => {
  it('when promtool checks the rule file, then every rule is valid', async () => {
    const result = await promtool('check', 'rules', 'alerts.yml');
    expect(result.output).toMatch(/SUCCESS: 6 rules found/);
    expect(result.code).toBe(0);
  });

  it('when promtool runs the rule unit tests, then they all pass', async () => {
    const result = await promtool('test', 'rules', 'alerts.test.yml');
    expect(result.output).toMatch(/SUCCESS/);
    expect(result.code).toBe(0);
  });
});
