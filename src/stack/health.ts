import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StackUnavailableError } from '../errors.js';
import { repoRoot } from './paths.js';
import type { Probe, StackService } from './service.js';
import { isAlive } from './supervisor.js';

/** True when something accepts TCP connections on host:port within timeoutMs. */
export function tcpOpen(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Runs a probe, turning a thrown error into an unhealthy result. */
export async function safeProbe(service: StackService): Promise<Probe> {
  try {
    return await service.probe();
  } catch (error) {
    return { healthy: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Polls the service until it is healthy. Fails early when its process dies, and after
 * timeoutMs with an error that says what is missing, where its log is and how to fix it.
 */
export async function waitHealthy(
  service: StackService,
  pid: number | undefined,
  timeoutMs: number,
): Promise<Probe & { healthy: true }> {
  const deadline = Date.now() + timeoutMs;
  let last: Probe = { healthy: false, reason: 'not probed yet' };
  for (;;) {
    last = await safeProbe(service);
    if (last.healthy) return last;
    if (pid !== undefined && !isAlive(pid)) {
      throw unavailable(service, `its process (pid ${pid}) exited during start-up: ${last.reason}`);
    }
    if (Date.now() >= deadline) {
      throw unavailable(
        service,
        `it did not become healthy within ${Math.round(timeoutMs / 1000)} s: ${last.reason}`,
      );
    }
    await sleep(500);
  }
}

/** The error for a service that is missing, with its log tail and the fix. */
export function unavailable(service: StackService, what: string, showLog = true): StackUnavailableError {
  const log = shownPath(service.logFile);
  const tail = showLog ? logTail(service.logFile, 15) : '';
  const logLines = showLog
    ? `  Log: ${log}${tail ? `\n  Last lines:\n${tail.replace(/^/gm, '    | ')}` : ' (empty)'}\n`
    : '';
  return new StackUnavailableError(
    `${service.name} at ${service.address} is unavailable: ${what}.\n${logLines}  Fix: ${service.hint}`,
  );
}

/** The last lines of a log file, or '' when there is none; Java stack frames are left out. */
export function logTail(file: string, lines: number): string {
  if (!existsSync(file)) return '';
  const text = readFileSync(file, 'utf8').trimEnd();
  const frame = /^\s+(at |\.\.\. \d+ more)/;
  return text
    .split('\n')
    .filter((line) => !frame.test(line))
    .slice(-lines)
    .join('\n');
}

/** A path as the user should type it: relative to the repo root when inside it. */
export function shownPath(path: string): string {
  const rel = relative(repoRoot, path);
  return rel.startsWith('..') ? path : rel;
}
