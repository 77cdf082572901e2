import { createServer } from 'node:net';

/** Binds a throwaway server to learn whether a port is free (and which one 0 gives). */
function probe(port: number, host: string): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen(port, host, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : null;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * The preferred port when nothing listens on it, else a free one the OS picks. Another
 * process may take it between this check and the bind; the demo is not a server farm.
 */
export async function preferredOrFreePort(
  preferred: number,
  host = '0.0.0.0',
): Promise<{ port: number; preferred: boolean }> {
  if ((await probe(preferred, host)) !== null) return { port: preferred, preferred: true };
  const free = await probe(0, host);
  if (free === null) throw new Error(`no free TCP port on ${host}`);
  return { port: free, preferred: false };
}
