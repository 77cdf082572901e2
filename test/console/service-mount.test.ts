import { createServer } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { emptyWorld } from '../../src/twin/world.js';
import { startPipeline } from '../helpers/pipeline.js';

describe('the console inside `run`', () => {
  it('when CONSOLE_PORT is busy, then the resolver still starts and is ready, without a console; CONSOLE_ENABLED=false turns it off', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
    onTestFinished(() => new Promise<void>((resolve) => busy.close(() => resolve())));
    const port = (busy.address() as { port: number }).port;
    const pipeline = await startPipeline({ world: emptyWorld() });
    const service = await pipeline.startInstance({ CONSOLE_PORT: String(port) }, { opsServer: true });
    expect(service.console).toBeUndefined();
    expect(service.health.snapshot().ready).toBe(true);

    const disabled = await pipeline.startInstance({ CONSOLE_ENABLED: 'false' }, { opsServer: true });
    expect(disabled.console).toBeUndefined();
    const served = await pipeline.startInstance({}, { opsServer: true });
    expect(served.console?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${served.console!.url}/review`)).status).toBe(200);
  }, 90_000);
});
