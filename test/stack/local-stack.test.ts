import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadStackConfig } from '../../src/stack/config.js';
import { createLocalStack, type UpResult } from '../../src/stack/stack.js';

// These run against the local stack on its configured ports (the defaults unless STACK_*
// say otherwise). Whatever backend global setup chose, the stack is brought up here and
// only what this file started is stopped again.
describe('local stack', () => {
  const stack = createLocalStack(loadStackConfig(process.env));
  let first: UpResult[] = [];

  beforeAll(async () => {
    first = await stack.up();
  }, 300_000);

  afterAll(async () => {
    const started = first.filter((r) => r.action === 'started').map((r) => r.name);
    if (started.length > 0) await stack.down(started);
  }, 60_000);

  test('when the stack is up, then status reports every service healthy with its version', async () => {
    const statuses = await stack.status();

    expect(statuses.map((s) => [s.name, s.healthy])).toEqual([
      ['kafka', true],
      ['postgres', true],
      ['ferretdb', true],
      ['registry', true],
    ]);
    const byName = Object.fromEntries(statuses.map((s) => [s.name, s]));
    expect(byName.kafka?.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(byName.kafka?.detail).toMatch(/cluster \S+, 1 broker/);
    expect(byName.postgres?.version).toMatch(/^15\.\d+$/);
    expect(byName.postgres?.detail).toMatch(/documentdb 0\.106-0, pg_cron 1\.6, vector 0\.8\.0/);
    expect(byName.ferretdb?.version).toBe('v2.5.0');
    expect(byName.registry?.version).toBe('v0.2.1');
  });

  test('when up runs on a running stack, then it starts nothing and every pid stays the same', async () => {
    const before = await stack.status();

    const again = await stack.up();

    expect(again.map((r) => r.action)).not.toContain('started');
    expect(again.map((r) => r.pid)).toEqual(before.map((s) => s.pid));
  });
});

describe('local stack processes', () => {
  test('when the stack runs as root, then PostgreSQL runs as its own non-root user', async () => {
    const stack = createLocalStack(loadStackConfig(process.env));
    const postgres = (await stack.status()).find((s) => s.name === 'postgres');
    expect(postgres?.healthy).toBe(true);
    if (postgres?.pid === undefined) return; // external server: not ours to check
    const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${postgres.pid}/status`, 'utf8'))?.[1]);
    expect(uid).not.toBe(0);
    if (process.getuid?.() !== 0) expect(uid).toBe(process.getuid?.());
  });
});
