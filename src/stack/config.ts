import { z } from 'zod';
import { describeIssues, port, positiveInt } from '../env-fields.js';
import { ConfigError } from '../errors.js';

/** Variables of the local stack (`npm run stack -- up|down|status`), apart from the service's own. */
const stackEnvSchema = z.object({
  STACK_DIR: z.string().min(1).default('.stack'),
  STACK_CACHE_DIR: z.string().min(1).optional(),
  STACK_KAFKA_PORT: port.default(9092),
  STACK_KAFKA_CONTROLLER_PORT: port.default(9093),
  STACK_MONGO_PORT: port.default(27017),
  STACK_REGISTRY_PORT: port.default(8081),
  STACK_POSTGRES_PORT: port.default(5432),
  STACK_START_TIMEOUT_MS: positiveInt.default(120000),
  // Only read to find the default cache folder.
  XDG_CACHE_HOME: z.string().optional(),
  HOME: z.string().optional(),
});

/** Where the local stack keeps its data and listens; relative dirs resolve against the repo root. */
export interface StackConfig {
  /** Data, logs and pid files (git-ignored). */
  dir: string;
  /** Downloaded jars and the built binaries and extensions, shared by every clone of the repo. */
  cacheDir: string;
  ports: { kafka: number; kafkaController: number; mongo: number; registry: number; postgres: number };
  startTimeoutMs: number;
  /** The environment the stack's child processes (java, go, mvn, node) inherit. */
  env: Record<string, string | undefined>;
}

/** Parses the STACK_* variables; throws one ConfigError naming every bad variable. */
export function loadStackConfig(env: Record<string, string | undefined> = process.env): StackConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = stackEnvSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = describeIssues(result.error, env);
    throw new ConfigError(
      `Invalid stack configuration:\n  - ${lines.join('\n  - ')}\nFix the variables above (see "Local stack" in README.md) and start again.`,
      lines,
    );
  }
  const e = result.data;
  const ports = {
    kafka: e.STACK_KAFKA_PORT,
    kafkaController: e.STACK_KAFKA_CONTROLLER_PORT,
    mongo: e.STACK_MONGO_PORT,
    registry: e.STACK_REGISTRY_PORT,
    postgres: e.STACK_POSTGRES_PORT,
  };
  const seen = new Map<number, string>();
  for (const [name, value] of Object.entries(ports)) {
    const other = seen.get(value);
    if (other !== undefined) {
      const line = `STACK_*_PORT: ${name} and ${other} both use port ${value}; give each service its own port`;
      throw new ConfigError(
        `Invalid stack configuration:\n  - ${line}\nFix the variables above and start again.`,
        [line],
      );
    }
    seen.set(value, name);
  }
  const cacheHome = e.XDG_CACHE_HOME ?? `${e.HOME ?? '/tmp'}/.cache`;
  return {
    dir: e.STACK_DIR,
    cacheDir: e.STACK_CACHE_DIR ?? `${cacheHome}/festival-resolver`,
    ports,
    startTimeoutMs: e.STACK_START_TIMEOUT_MS,
    env,
  };
}
