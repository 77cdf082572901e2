import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  TWIN_OMDB_KEY,
  TWIN_TMDB_API_KEY,
  TWIN_TMDB_TOKEN,
  TWIN_ZYTE_KEY,
  type TwinOptionsInput,
} from '../../twin/options.js';
import { startTwin } from '../../twin/server.js';
import { generateWorld } from '../../twin/world-generator.js';
import { loadWorld, saveWorld, type World } from '../../twin/world.js';

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function integer(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n))
      throw new Error(`${name}: expected a whole number, got ${JSON.stringify(value)}`);
    return n;
  };
}

interface ServeFlags {
  world?: string;
  generate?: boolean;
  seed: number;
  size?: number;
  port: number;
  host: string;
  options?: string;
}

async function serve(flags: ServeFlags): Promise<void> {
  if (!flags.world && !flags.generate)
    throw new Error('twin: give --world <file> or --generate [--seed N --size N]');
  const world: World = flags.world
    ? await loadWorld(flags.world)
    : generateWorld({ seed: flags.seed, ...(flags.size !== undefined ? { size: flags.size } : {}) });
  const options = flags.options
    ? (JSON.parse(await readFile(flags.options, 'utf8')) as TwinOptionsInput)
    : {};
  const { twin, urls } = await startTwin({ world, options, port: flags.port, host: flags.host });
  const nominated = world.answers.length;
  print(
    `twin: serving ${world.films.length} films (${nominated} nominated, ${world.films.length - nominated} decoys), seed ${world.meta.seed}`,
  );
  // The twin's keys are fixed, fake values: printing them is how a developer wires the service to it.
  print(`TMDB_BASE_URL=${urls.tmdb}`);
  print(`TMDB_READ_TOKEN=${TWIN_TMDB_TOKEN}`);
  print(`TMDB_API_KEY=${TWIN_TMDB_API_KEY}`);
  print(`OMDB_BASE_URL=${urls.omdb}`);
  print(`OMDB_API_KEY=${TWIN_OMDB_KEY}`);
  print(`ZYTE_BASE_URL=${urls.zyte}`);
  print(`ZYTE_API_KEY=${TWIN_ZYTE_KEY}`);
  print(`# admin: ${urls.admin}/counts (GET), /options (GET, PUT), /reset (POST), /world (PUT)`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await twin.close();
  print('twin: stopped');
}

/** `twin`: serve a world as TMDb, OMDb and Zyte; `twin generate`: write a world file. */
export function register(program: Command): void {
  const twin = program
    .command('twin')
    .description(
      'Run the local twin of TMDb, OMDb and Zyte (IMDb pages) serving a world file or a generated one',
    )
    .option('--world <file>', 'world JSON to serve')
    .option('--generate', 'generate a world from shared/data/cannes-competition.csv instead')
    .option('--seed <n>', 'seed of the generated world and of the random failures', integer('--seed'), 1)
    .option(
      '--size <n>',
      'nominated films in the generated world (default: the whole lineup)',
      integer('--size'),
    )
    .option('--port <n>', 'TCP port (0: any free port)', integer('--port'), 8790)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option(
      '--options <file>',
      'JSON file of behaviour knobs (latency, rate limits, error rates, outages, quotas)',
    )
    .action(async (flags: ServeFlags) => {
      await serve(flags);
    });

  twin
    .command('generate')
    .description('Generate a world (catalog + answer key) and write it as JSON; takes --seed N and --size N')
    .requiredOption('--out <file>', 'where to write the world')
    // --seed and --size are the parent's options (commander parses them on either side of `generate`).
    .action(async (_opts: unknown, command: Command) => {
      const flags = command.optsWithGlobals<{ out: string; seed: number; size?: number }>();
      const world = generateWorld({
        seed: flags.seed,
        ...(flags.size !== undefined ? { size: flags.size } : {}),
      });
      await saveWorld(flags.out, world);
      print(`twin: wrote ${world.films.length} films (${world.answers.length} nominated) to ${flags.out}`);
    });
}
