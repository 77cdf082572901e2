import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Paths that may hold secrets anywhere in a log line's merge object. */
const redactPaths = [
  'apiKey',
  'api_key',
  'apikey',
  'token',
  'password',
  'authorization',
  'headers.authorization',
  'headers.Authorization',
  '*.apiKey',
  '*.api_key',
  '*.apikey',
  '*.token',
  '*.password',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  'config.headers',
  'err.config',
];

/**
 * The one root logger of a process: built in main.ts (or a test) and passed down; each
 * component takes `logger.child({ component })`.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'festival-resolver' },
    redact: { paths: redactPaths, censor: '[redacted]' },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
