/** Writes one human-readable progress line (the CLI prints it; tests may collect it). */
export type Progress = (line: string) => void;

/** What a health probe saw: a healthy service says which version it runs. */
export type Probe = { healthy: true; version: string; detail?: string } | { healthy: false; reason: string };

/** The names of the services of the local stack, in start order. */
export type ServiceName = 'kafka' | 'postgres' | 'ferretdb' | 'registry';

/** One service of the local stack: how to prepare, start and probe it. */
export interface StackService {
  name: ServiceName;
  /** host:port or URL clients use. */
  address: string;
  port: number;
  /** Every port the service binds (Kafka: broker and controller); checked free before start. */
  ports: number[];
  pidFile: string;
  /** The log to read when the service misbehaves. */
  logFile: string;
  /** Text in the process command line that proves the pid is ours (the stack folder). */
  marker: string;
  /** What to do when the service will not start. */
  hint: string;
  /** Services that must be healthy (and ready) before this one starts. */
  dependsOn?: ServiceName[];
  /** Fetches or builds whatever start() needs; quick when it is already there. */
  prepare(progress: Progress): Promise<void>;
  /** Spawns the detached process and returns its pid; does not wait for health. */
  start(progress: Progress): Promise<number>;
  probe(): Promise<Probe>;
  /** Idempotent set-up once the service is healthy (databases, extensions); run on every up. */
  ready?(progress: Progress): Promise<void>;
}
