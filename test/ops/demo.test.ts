import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadStackConfig } from '../../src/stack/config.js';
import { runIdOf } from '../../src/ops/demo/demo-names.js';
import { removePreviousRuns } from '../../src/ops/demo/previous-runs.js';
import { createLocalStack } from '../../src/stack/stack.js';
import { adminForTest, kafkaForTest } from '../helpers/kafka.js';
import { runCli } from './run-cli.js';

/**
 * `festival-resolver demo` as a new user runs it, in a child process, on the local stack the
 * demo itself brings up. The test uses its own namespace (databases demotest…_*, topics
 * demotest….*) so that it neither removes nor meets a user's own demo runs.
 */

function stackAddresses() {
  const services = createLocalStack(loadStackConfig()).services;
  const address = (name: string) => services.find((s) => s.name === name)?.address ?? '';
  return { kafka: address('kafka'), mongo: address('ferretdb'), registry: address('registry') };
}

/** STACK_* (and the cache home) reach the child, so it brings up the same stack as the tests. */
function stackEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] =>
        e[1] !== undefined && (e[0].startsWith('STACK_') || e[0] === 'XDG_CACHE_HOME'),
    ),
  );
}

async function namespaceDatabases(mongo: MongoClient, namespace: string): Promise<string[]> {
  const { databases } = await mongo.db('admin').admin().listDatabases({ nameOnly: true });
  return databases.map((d) => d.name).filter((name) => runIdOf(namespace, name) !== null);
}

describe('festival-resolver demo', () => {
  it('when run twice with a small lineup, then both runs exit 0 with the report and the goals, and the second removed the first run without help', async () => {
    const namespace = `demotest${randomBytes(3).toString('hex')}`;
    const stack = stackAddresses();
    const mongo = new MongoClient(stack.mongo, { serverSelectionTimeoutMS: 10_000 });
    await mongo.connect();
    const kafka = kafkaForTest(namespace);
    const admin = await adminForTest(kafka);
    onTestFinished(async () => {
      await removePreviousRuns({
        namespace,
        currentRunId: '',
        admin,
        mongo,
        registryUrl: stack.registry,
      }).catch(() => undefined);
      await rm(join(createLocalStack(loadStackConfig()).paths.root, `${namespace}-prometheus`), {
        recursive: true,
        force: true,
      });
      await admin.disconnect();
      await mongo.close();
    });

    const args = ['demo', '--size', '20', '--seed', '7', '--namespace', namespace];
    const first = await runCli(args, stackEnv(), 150_000);
    expect(first.code, first.stderr.slice(-2000)).toBe(0);
    expect(first.stdout).toContain('festival-resolver KPI report');
    expect(first.stdout).toMatch(/20\/20 nominations recorded, consumer lag 0/);
    expect(first.stdout).toMatch(/failure rate +\d+\.\d % +goal < 10\.0 % +(PASS|MISS)/);
    expect(first.stdout).toMatch(/cost per import +\$\d+\.\d{4} +goal < \$0\.0100 +(PASS|MISS)/);
    expect(first.stdout).toContain(`no earlier ${namespace} runs to clean up`);
    const firstRun = /This run: (\S+)/.exec(first.stdout)?.[1];
    expect(first.stdout).toContain(`MONGODB_DATABASE=${namespace}_${firstRun}`);
    expect(await namespaceDatabases(mongo, namespace)).toEqual([`${namespace}_${firstRun}`]);

    const second = await runCli(args, stackEnv(), 150_000);
    expect(second.code, second.stderr.slice(-2000)).toBe(0);
    const secondRun = /This run: (\S+)/.exec(second.stdout)?.[1];
    expect(secondRun).not.toBe(firstRun);
    expect(second.stdout).toContain('removed 1 earlier run(s)');
    expect(second.stdout).toMatch(/20\/20 nominations recorded, consumer lag 0/);
    expect(second.stdout).toMatch(/failure rate .*(PASS|MISS)/);
    expect(await namespaceDatabases(mongo, namespace)).toEqual([`${namespace}_${secondRun}`]);
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${namespace}.`));
    expect(topics.every((t) => runIdOf(namespace, t) === secondRun)).toBe(true);
    expect(topics).toHaveLength(5);
  }, 330_000);
});
