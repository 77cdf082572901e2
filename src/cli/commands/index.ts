import type { Command } from 'commander';
import { register as registerStack } from './stack.js';
import { register as registerTwin } from './twin.js';

/**
 * Each sub-command lives in its own file and exports `register(program)`; add it here.
 */
export function registerCommands(program: Command): void {
  registerStack(program);
  registerTwin(program);
}
