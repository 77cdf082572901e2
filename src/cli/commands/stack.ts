import type { Command } from 'commander';
import { loadStackConfig } from '../../config.js';
import { shownPath } from '../../stack/health.js';
import { createLocalStack, type ServiceStatus } from '../../stack/stack.js';

/** `stack up|down|status|env`: the local Kafka, FerretDB and schema registry (no Docker). */
export function register(program: Command): void {
  const stack = program
    .command('stack')
    .description(
      'Run the local stack: Kafka (KRaft), FerretDB and the schema registry stand-in, under .stack/',
    );
  const print = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };

  stack
    .command('up')
    .description(
      'Start every service that is not healthy yet (fetching and building prerequisites on first use)',
    )
    .action(async () => {
      const started = Date.now();
      const local = createLocalStack(loadStackConfig(), print);
      const results = await local.up();
      const fresh = results.filter((r) => r.action === 'started').length;
      print(
        fresh === 0
          ? 'stack: already up, nothing started'
          : `stack: up in ${((Date.now() - started) / 1000).toFixed(1)} s (${fresh} service(s) started)`,
      );
      printEnv(results, print);
    });

  stack
    .command('down')
    .description('Stop the processes the stack started; data under .stack/ is kept')
    .action(async () => {
      await createLocalStack(loadStackConfig(), print).down();
    });

  stack
    .command('status')
    .description('Show each service as healthy or down, with its version; exits 1 when one is down')
    .action(async () => {
      const statuses = await createLocalStack(loadStackConfig()).status();
      for (const line of formatStatus(statuses)) print(line);
      if (statuses.some((s) => !s.healthy)) process.exitCode = 1;
    });

  stack
    .command('env')
    .description('Print the variables that point the service and the tests at the local stack')
    .action(async () => {
      printEnv(await createLocalStack(loadStackConfig()).status(), print);
    });
}

/** One aligned line per service. */
export function formatStatus(statuses: ServiceStatus[]): string[] {
  return statuses.map((s) => {
    const state = s.healthy ? 'healthy' : 'down';
    const owner = s.pid !== undefined ? `pid ${s.pid}` : s.healthy ? 'external' : '';
    const what = s.healthy ? `${s.version ?? ''}${s.detail ? ` (${s.detail})` : ''}` : (s.reason ?? '');
    return `${s.name.padEnd(9)} ${state.padEnd(8)} ${s.address.padEnd(26)} ${owner.padEnd(10)} ${what}  log ${shownPath(s.logFile)}`;
  });
}

function printEnv(statuses: ServiceStatus[], print: (line: string) => void): void {
  const address = (name: string): string => statuses.find((s) => s.name === name)?.address ?? '';
  print(`KAFKA_BROKERS=${address('kafka')}`);
  print(`MONGODB_URI=${address('ferretdb')}`);
  print(`SCHEMA_REGISTRY_URL=${address('registry')}`);
}
