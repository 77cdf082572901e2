import { randomBytes } from 'node:crypto';

/**
 * Names of one demo run. Every run gets its own database, topics and consumer group under
 * a namespace ("demo" by default), so that the next run can find and remove what earlier
 * runs left behind without touching anything else on the stack.
 */

/** Where one demo run keeps its data on the stack. */
export interface DemoNames {
  namespace: string;
  runId: string;
  database: string;
  groupId: string;
  clientId: string;
  topics: { nominations: string; resolved: string; stub: string; retry: string; dlq: string };
}

const namespacePattern = /^[a-z][a-z0-9]{0,19}$/;

export function assertNamespace(namespace: string): void {
  if (!namespacePattern.test(namespace))
    throw new Error(
      `namespace must be lower-case letters and digits starting with a letter (got ${JSON.stringify(namespace)})`,
    );
}

/** A sortable, unique id: UTC date and time of the run plus 4 random hex digits. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
  return `${stamp}_${randomBytes(2).toString('hex')}`;
}

export function demoNames(namespace: string, runId: string): DemoNames {
  assertNamespace(namespace);
  const prefix = `${namespace}.${runId}`;
  return {
    namespace,
    runId,
    database: `${namespace}_${runId}`,
    groupId: `${prefix}.resolver`,
    clientId: `${namespace}-${runId}`,
    topics: {
      nominations: `${prefix}.nominations`,
      resolved: `${prefix}.movie.resolved`,
      stub: `${prefix}.movie.stub`,
      retry: `${prefix}.nominations.retry`,
      dlq: `${prefix}.nominations.dlq`,
    },
  };
}

/** The run id a database or topic of this namespace belongs to, or null when it is not one. */
export function runIdOf(namespace: string, name: string): string | null {
  const match = new RegExp(`^${namespace}[._](\\d{8}_\\d{6}_[0-9a-f]{4})(\\.|$)`).exec(name);
  return match?.[1] ?? null;
}
