import { Option, type Command } from 'commander';
import { loadConfig } from '../../config.js';
import { runDemo } from '../../ops/demo/run-demo.js';
import { assertNamespace } from '../../ops/demo/demo-names.js';
import { UsageError } from '../../ops/usage-error.js';

interface DemoFlags {
  size: string;
  seed: string;
  withoutImdbShare: string;
  keepRunning?: boolean;
  prometheus: boolean;
  namespace: string;
  drainTimeout: string;
}

function wholeNumber(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`${flag} must be a whole number >= ${min}; got ${value}`);
  return n;
}

/** The user's CONSOLE_TOKEN (the demo's own settings ignore the rest of the environment). */
function consoleToken(): { consoleToken?: string } {
  const token = loadConfig().console.token;
  return token === undefined ? {} : { consoleToken: token };
}

/** Resolves on the first SIGINT or SIGTERM. */
function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/** `festival-resolver demo`: the local stack, a twin, the resolver and Prometheus, end to end. */
export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'start the local stack, a twin of TMDb/OMDb/Zyte, the resolver and Prometheus; publish a Cannes lineup, resolve it and print the KPI report and the goals',
    )
    .option('--size <films>', 'films of the Cannes lineup to nominate', '200')
    .option('--seed <n>', 'seed of the world (which films, which gaps upstream)', '2025')
    .option('--without-imdb-share <0..1>', 'share of nominations published without an IMDb ID', '0.15')
    .option('--keep-running', 'keep the resolver, twin and Prometheus running until Ctrl-C')
    .option('--no-prometheus', 'do not start Prometheus even when it is installed')
    .addOption(
      new Option('--namespace <name>', 'prefix of databases, topics and groups (tests use their own)')
        .default('demo')
        .hideHelp(),
    )
    .addOption(
      new Option('--drain-timeout <seconds>', 'give up when the resolver has not drained by then')
        .default('600')
        .hideHelp(),
    )
    .action(async (flags: DemoFlags) => {
      const share = Number(flags.withoutImdbShare);
      if (!(share >= 0 && share <= 1))
        throw new UsageError(
          `--without-imdb-share must be a number in [0, 1]; got ${flags.withoutImdbShare}`,
        );
      try {
        assertNamespace(flags.namespace);
      } catch (error) {
        throw new UsageError(`--namespace: ${error instanceof Error ? error.message : String(error)}`);
      }
      await runDemo({
        size: wholeNumber('--size', flags.size, 1),
        seed: wholeNumber('--seed', flags.seed, 0),
        withoutImdbIdShare: share,
        keepRunning: flags.keepRunning === true,
        namespace: flags.namespace,
        httpPort: 9464,
        prometheusPort: 9090,
        consolePort: 9465,
        ...consoleToken(),
        prometheus: flags.prometheus,
        drainTimeoutMs: wholeNumber('--drain-timeout', flags.drainTimeout, 1) * 1000,
        print: (line) => process.stdout.write(`${line}\n`),
        untilInterrupted,
      });
    });
}
