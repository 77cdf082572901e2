import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StackUnavailableError } from '../errors.js';

/** What to run as a detached background process, and where its output and pid go. */
export interface DetachedSpec {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  logFile: string;
  pidFile: string;
  env?: Record<string, string | undefined>;
  /** Run as this user and group (PostgreSQL refuses to run as root). */
  uid?: number;
  gid?: number;
}

/**
 * Starts a process that outlives the caller: its own process group (so stop() reaches its
 * children too), output appended to logFile, pid written to pidFile.
 */
export async function spawnDetached(spec: DetachedSpec): Promise<number> {
  mkdirSync(dirname(spec.logFile), { recursive: true });
  mkdirSync(dirname(spec.pidFile), { recursive: true });
  const out = openSync(spec.logFile, 'a');
  try {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', out, out],
      uid: spec.uid,
      gid: spec.gid,
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error) => {
        reject(
          new StackUnavailableError(
            `${spec.name}: could not run ${spec.command} (${error.message}); is it installed and on PATH?`,
            { cause: error },
          ),
        );
      });
    });
    child.unref();
    const pid = child.pid;
    if (pid === undefined)
      throw new StackUnavailableError(`${spec.name}: ${spec.command} started without a pid`);
    writeFileSync(spec.pidFile, `${pid}\n`);
    return pid;
  } finally {
    closeSync(out);
  }
}

/** The pid recorded in a pid file, or undefined when there is none. */
export function readPid(pidFile: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(pidFile, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function removePidFile(pidFile: string): void {
  rmSync(pidFile, { force: true });
}

/** True while the process exists and is not a zombie (a zombie answers kill(0) but is gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    // No /proc (macOS): kill(0) is all we have.
    return true;
  }
}

/**
 * True when the pid belongs to a process whose command line mentions marker (the stack
 * folder): a pid file left over from before a reboot may name an unrelated process.
 */
export function ownsProcess(pid: number, marker: string): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return true;
  }
}

/** How a stop ended. */
export type StopResult = 'not-running' | 'terminated' | 'killed';

/** SIGTERM to the process group, wait up to graceMs, then SIGKILL; resolves once it is gone. */
export async function stopProcess(pid: number, graceMs = 15_000): Promise<StopResult> {
  if (!isAlive(pid)) return 'not-running';
  signalGroup(pid, 'SIGTERM');
  if (await waitForExit(pid, graceMs)) return 'terminated';
  signalGroup(pid, 'SIGKILL');
  if (await waitForExit(pid, 5_000)) return 'killed';
  throw new StackUnavailableError(
    `process ${pid} survived SIGKILL; check it with "ps -o pid,stat,cmd -p ${pid}"`,
  );
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Not a group leader (or the group is gone): signal the process itself.
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(100);
  }
  return !isAlive(pid);
}

/**
 * Runs fn while holding an exclusive lock file (its content is the holder's pid), so two
 * `up`s at once (two test runs, a test run and a terminal) never start a service twice.
 * A lock whose holder is dead is taken over; waiting is bounded by timeoutMs.
 */
export async function withLock<T>(
  lockFile: string,
  timeoutMs: number,
  onWait: (holder: number) => void,
  fn: () => Promise<T>,
): Promise<T> {
  mkdirSync(dirname(lockFile), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      writeFileSync(lockFile, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readPid(lockFile);
    if (holder === undefined || !isAlive(holder)) {
      rmSync(lockFile, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new StackUnavailableError(
        `another process (pid ${holder}) has held ${lockFile} for over ${Math.round(timeoutMs / 1000)} s; wait for it or stop it`,
      );
    }
    if (!announced) onWait(holder);
    announced = true;
    await sleep(250);
  }
  try {
    return await fn();
  } finally {
    if (readPid(lockFile) === process.pid) rmSync(lockFile, { force: true });
  }
}
