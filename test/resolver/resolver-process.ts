import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/festival-resolver.js', import.meta.url));

/** One log line of the child, as pino wrote it. */
interface LogLine {
  level: number;
  time: number;
  msg: string;
  [field: string]: unknown;
}

/** `festival-resolver run` as a real child process, as an operator would start it. */
export interface ResolverProcess {
  child: ChildProcess;
  /** Every JSON log line written so far (stdout), in order. */
  logs: LogLine[];
  /** The raw stdout and stderr text that was not a JSON log line (stack traces, kafkajs noise). */
  otherOutput(): string;
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** When `text` was first seen on stderr (epoch ms), if it was. */
  seenOnStderr(text: string): number | undefined;
}

export function startResolverProcess(
  env: Record<string, string>,
  options: { logLevel?: string; keepLogs?: boolean; nodeArgs?: string[] } = {},
): ResolverProcess {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), bin, 'run'], {
    env: { ...process.env, ...env, LOG_LEVEL: options.logLevel ?? 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  let other = '';
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      try {
        const parsed = JSON.parse(line) as LogLine;
        if (options.keepLogs !== false) logs.push(parsed);
      } catch {
        other = (other + line + '\n').slice(-20_000);
      }
    }
  });
  const stderrSeen: { at: number; text: string }[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrSeen.push({ at: Date.now(), text: chunk.toString() });
    other = (other + chunk.toString()).slice(-20_000);
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return {
    child,
    logs,
    otherOutput: () => other,
    seenOnStderr: (text) => {
      let joined = '';
      for (const chunk of stderrSeen) {
        joined += chunk.text;
        if (joined.includes(text)) return chunk.at;
      }
      return undefined;
    },
    exited: () =>
      child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve({ code: child.exitCode, signal: child.signalCode })
        : new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
  };
}
