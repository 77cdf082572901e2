// Entry point of the development schema registry stand-in:
//   node --import tsx src/stack/registry/main.ts --port <p> --data-dir <dir> [--host 127.0.0.1] [--log-level info]
// Production runs Confluent Schema Registry; this serves the same REST API for AVRO only.
import { parseArgs } from 'node:util';
import { createLogger } from '../../logger.js';
import { startRegistryServer } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8081' },
    'data-dir': { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    'log-level': { type: 'string', default: 'info' },
  },
  strict: true,
});

const log = createLogger(values['log-level']).child({ component: 'schema-registry' });
const port = Number(values.port);
const dataDir = values['data-dir'];
if (!Number.isInteger(port) || port < 0 || port > 65_535 || dataDir === undefined || dataDir === '') {
  log.fatal(
    { port: values.port, dataDir },
    'usage: main.ts --port <0-65535> --data-dir <dir> [--host <address>]',
  );
  process.exit(2);
}

try {
  const server = await startRegistryServer({ port, dataDir, host: values.host, logger: log });
  log.info(
    { url: server.url, port: server.port, dataDir, standIn: true },
    'schema registry stand-in listening',
  );
  const stop = (signal: string): void => {
    log.info({ signal }, 'schema registry stand-in stopping');
    server.close().then(
      () => {
        log.info({}, 'schema registry stand-in stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'schema registry stand-in did not stop cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
} catch (error) {
  log.fatal({ err: error, port, dataDir }, 'schema registry stand-in failed to start');
  process.exit(1);
}
