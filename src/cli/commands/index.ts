import type { Command } from 'commander';

/**
 * Each sub-command lives in its own file and exports `register(program)`; add it here.
 */
export function registerCommands(program: Command): void {
  void program;
}
