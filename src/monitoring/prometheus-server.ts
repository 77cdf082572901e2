import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { StackUnavailableError } from '../errors.js';

/** A Prometheus server (Debian's `prometheus` binary) run by the demo and the monitoring test. */
export interface PrometheusServer {
  url: string;
  stop(): Promise<void>;
}

export interface PrometheusOptions {
  dataDir: string;
  port: number;
  /** host:port of each /metrics endpoint to scrape. */
  scrapeTargets: string[];
  scrapeIntervalSeconds: number;
  /** Absolute paths of rule files (prometheus/alerts.yml). */
  ruleFiles: string[];
  binary?: string;
  startTimeoutMs?: number;
}

function configText(options: PrometheusOptions): string {
  const interval = `${options.scrapeIntervalSeconds}s`;
  return [
    'global:',
    `  scrape_interval: ${interval}`,
    `  evaluation_interval: ${interval}`,
    'rule_files:',
    ...options.ruleFiles.map((f) => `  - ${JSON.stringify(resolve(f))}`),
    'scrape_configs:',
    '  - job_name: festival-resolver',
    '    static_configs:',
    `      - targets: [${options.scrapeTargets.map((t) => JSON.stringify(t)).join(', ')}]`,
    '',
  ].join('\n');
}

async function ready(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

/** Starts Prometheus with a generated config; rejects with a clear error when it cannot. */
export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusServer> {
  await mkdir(join(options.dataDir, 'tsdb'), { recursive: true });
  const configFile = join(options.dataDir, 'prometheus.yml');
  await writeFile(configFile, configText(options));
  const url = `http://127.0.0.1:${options.port}`;
  const binary = options.binary ?? 'prometheus';
  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(options.dataDir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${options.port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-3000)));
  const failed = new Promise<Error>((resolveFailure) => {
    child.once('error', (err) => resolveFailure(err));
    child.once('exit', (code) =>
      resolveFailure(new Error(`prometheus exited with code ${code}: ${stderr.trim()}`)),
    );
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    const early = await Promise.race([
      failed,
      new Promise<undefined>((r) => setTimeout(() => r(undefined), 250)),
    ]);
    if (early !== undefined) {
      const missing = (early as NodeJS.ErrnoException).code === 'ENOENT';
      throw new StackUnavailableError(
        missing
          ? `prometheus is not installed (${binary} not found): apt-get install prometheus`
          : `prometheus did not start: ${early.message}`,
        { cause: early },
      );
    }
    if (await ready(url)) return { url, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new StackUnavailableError(
        `prometheus did not become ready on ${url} within ${options.startTimeoutMs ?? 30_000} ms: ${stderr.trim()}`,
      );
    }
  }
}
