import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StackConfig } from './config.js';

/** The repository root: stack/ templates and ../shared/vendor live relative to it. */
export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Every folder and file the local stack reads or writes. */
export interface StackPaths {
  root: string;
  logs: string;
  pids: string;
  kafkaData: string;
  kafkaConfigDir: string;
  postgresData: string;
  ferretdbState: string;
  registryConfig: string;
  cache: string;
  /** Templates and pins checked into the repo (stack/). */
  templates: string;
}

export function stackPaths(config: StackConfig): StackPaths {
  const root = isAbsolute(config.dir) ? config.dir : resolve(repoRoot, config.dir);
  return {
    root,
    logs: join(root, 'logs'),
    pids: join(root, 'pids'),
    kafkaData: join(root, 'kafka-data'),
    kafkaConfigDir: join(root, 'kafka'),
    postgresData: join(root, 'postgres-data'),
    ferretdbState: join(root, 'ferretdb-state'),
    registryConfig: join(root, 'registry', 'config.yaml'),
    cache: resolve(config.cacheDir),
    templates: join(repoRoot, 'stack'),
  };
}
