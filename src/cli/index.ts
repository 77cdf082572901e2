import { Command } from 'commander';
import { ConfigError, isFestivalResolverError } from '../errors.js';
import { releaseEarlySignals } from './early-signals.js';

const program = new Command('festival-resolver')
  .description('Resolves festival nominations to movie records without ever losing one.')
  .showHelpAfterError();

// `run` loads only its own command: after a crash, every module loaded before the consumer
// joins is time its partitions wait (the other commands add 62 of the CLI's 185 source files).
if (process.argv[2] === 'run') (await import('./commands/run.js')).register(program);
else (await import('./commands/index.js')).registerCommands(program);
// `run` takes the signals caught while the modules loaded over itself; every other command
// gets Node's default behaviour back (a pending signal ends it, as it would have).
program.hook('preAction', (_program, action) => {
  if (!(action.name() === 'run' && action.parent === program)) releaseEarlySignals();
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  const message = isFestivalResolverError(error)
    ? `${error.code}: ${error.message}`
    : error instanceof Error
      ? error.message
      : String(error);
  process.stderr.write(`festival-resolver: ${message}\n`);
  process.exit(1);
}
