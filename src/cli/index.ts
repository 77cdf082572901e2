import { Command } from 'commander';
import { ConfigError, isFestivalResolverError } from '../errors.js';
import { registerCommands } from './commands/index.js';

const program = new Command('festival-resolver')
  .description('Resolves festival nominations to movie records without ever losing one.')
  .showHelpAfterError();

registerCommands(program);

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
