import type { Command } from 'commander';
import { loadStackConfig } from '../../stack/config.js';
import { shownPath } from '../../stack/health.js';
import type { ServiceName } from '../../stack/service.js';
import { createLocalStack, type ServiceStatus } from '../../stack/stack.js';

/** `stack up|down|status|env`: the local Kafka, PostgreSQL, FerretDB and schema registry (no Docker). */
export function register(program: Command): void {
  const stack = program
    .command('stack')
    .description(
      'Run the local stack: Kafka (KRaft), PostgreSQL with DocumentDB, FerretDB and AxonOps Schema Registry, under .stack/',
    );
  const print = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };

  stack
    .command('up')
    .argument('[services...]', `only these: ${serviceNames.join(', ')}`)
    .description(
      'Start every service that is not healthy yet (fetching and building prerequisites on first use)',
    )
    .action(async (services: string[]) => {
      const started = Date.now();
      const local = createLocalStack(loadStackConfig(), print);
      const results = await local.up(chosen(services));
      const fresh = results.filter((r) => r.action === 'started').length;
      print(
        fresh === 0
          ? 'stack: already up, nothing started'
          : `stack: up in ${((Date.now() - started) / 1000).toFixed(1)} s (${fresh} service(s) started)`,
      );
      printEnv(local.services, print);
    });

  stack
    .command('prepare')
    .description('Fetch and build what the services need (first run: minutes), starting nothing')
    .action(async () => {
      const started = Date.now();
      await createLocalStack(loadStackConfig(), print).prepare();
      print(`stack: prerequisites ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });

  stack
    .command('down')
    .argument('[services...]', `only these: ${serviceNames.join(', ')}`)
    .description('Stop the processes the stack started; data under .stack/ is kept')
    .action(async (services: string[]) => {
      await createLocalStack(loadStackConfig(), print).down(chosen(services));
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
    .action(() => {
      printEnv(createLocalStack(loadStackConfig()).services, print);
    });
}

const serviceNames: ServiceName[] = ['kafka', 'postgres', 'ferretdb', 'registry'];

/** The services named on the command line (all when none), refusing unknown names. */
function chosen(names: string[]): ServiceName[] | undefined {
  if (names.length === 0) return undefined;
  const unknown = names.filter((n) => !serviceNames.includes(n as ServiceName));
  if (unknown.length > 0)
    throw new Error(`unknown service ${unknown.join(', ')}; expected ${serviceNames.join(', ')}`);
  return names as ServiceName[];
}

/** One aligned line per service. */
function formatStatus(statuses: ServiceStatus[]): string[] {
  return statuses.map((s) => {
    const state = s.healthy ? 'healthy' : 'down';
    const owner = s.pid !== undefined ? `pid ${s.pid}` : s.healthy ? 'external' : '';
    const what = s.healthy ? `${s.version ?? ''}${s.detail ? ` (${s.detail})` : ''}` : (s.reason ?? '');
    return `${s.name.padEnd(9)} ${state.padEnd(8)} ${s.address.padEnd(26)} ${owner.padEnd(10)} ${what}  log ${shownPath(s.logFile)}`;
  });
}

function printEnv(services: { name: ServiceName; address: string }[], print: (line: string) => void): void {
  const address = (name: ServiceName): string => services.find((s) => s.name === name)?.address ?? '';
  print(`KAFKA_BROKERS=${address('kafka')}`);
  print(`MONGODB_URI=${address('ferretdb')}`);
  print(`SCHEMA_REGISTRY_URL=${address('registry')}`);
}
