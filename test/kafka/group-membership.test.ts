import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  internalCluster,
  keepReason,
  leavePreviousMembers,
  memberClientId,
  registerRunner,
  samePidOrNull,
} from '../../src/kafka/group-membership.js';
import { createLogger } from '../../src/logger.js';
import { adminForTest, kafkaForTest, testGroupId, testTopic } from '../helpers/kafka.js';
import { uniqueName } from '../helpers/names.js';
import { testServices } from '../helpers/services.js';

const identity = { clientId: 'festival-resolver', instanceId: 'resolver-0', pid: 4242 };

describe('the identity a consumer carries in its client id', () => {
  it('when a member names the same instance, then its pid is read back; another instance or client id is not ours', () => {
    expect(memberClientId(identity)).toBe('festival-resolver@resolver-0#4242');
    expect(samePidOrNull('festival-resolver@resolver-0#17', identity)).toBe(17);
    expect(samePidOrNull('festival-resolver@resolver-01#17', identity)).toBeNull();
    expect(samePidOrNull('festival-resolver@resolver-1#17', identity)).toBeNull();
    expect(samePidOrNull('other@resolver-0#17', identity)).toBeNull();
    expect(samePidOrNull('festival-resolver', identity)).toBeNull();
    expect(samePidOrNull('festival-resolver@resolver-0#', identity)).toBeNull();
  });

  it('when a member of the same instance has a pid alive on this host, then it is kept; a dead pid or our own (a restarted container) is left', () => {
    expect(keepReason(17, identity, () => true)).toMatch(/pid 17 is alive/);
    expect(keepReason(17, identity, () => false)).toBeNull();
    expect(keepReason(4242, identity, () => true)).toBeNull();
  });

  it('when two consumers of this process share an identity (tests, or a misconfiguration), then a member with our pid is kept', () => {
    const first = registerRunner(identity);
    const second = registerRunner(identity);
    expect(keepReason(4242, identity)).toMatch(/another consumer of this process/);
    second();
    second();
    expect(keepReason(4242, identity)).toBeNull();
    first();
  });

  it('when the installed kafkajs is asked for its internal cluster, then it has one with a LeaveGroup (an upgrade that renames it fails here)', () => {
    const cluster = internalCluster(new Kafka({ brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING }));
    expect(cluster).not.toBeNull();
    expect(typeof cluster?.findGroupCoordinator).toBe('function');
  });
});

/** A consumer in its own process that joins `groupId` and prints "joined"; its session is 30 s. */
function memberProcess(groupId: string, topic: string, base: string, instanceId: string) {
  const script = `
    import { Kafka, logLevel } from 'kafkajs';
    const kafka = new Kafka({ clientId: ${JSON.stringify(`${base}@${instanceId}#`)} + process.pid,
      brokers: ${JSON.stringify(testServices().kafkaBrokers)}, logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: ${JSON.stringify(groupId)}, sessionTimeout: 30000, heartbeatInterval: 1000 });
    consumer.on(consumer.events.GROUP_JOIN, () => console.log('joined'));
    await consumer.connect();
    await consumer.subscribe({ topics: [${JSON.stringify(topic)}] });
    await consumer.run({ eachMessage: async () => {} });
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const joined = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('joined')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`member process exited (${String(code)}) before joining`)));
  });
  return { child, joined };
}

describe('leaving the members a dead earlier life left behind', () => {
  it('when the previous life of this instance was SIGKILLed, then its member is removed at once and a new consumer joins without waiting for its 30 s session; a live one is kept', async () => {
    const kafka = kafkaForTest();
    const admin = await adminForTest(kafka);
    const topic = await testTopic(admin, 'membership');
    const groupId = testGroupId('membership');
    const base = uniqueName('fr');
    const members = async () =>
      (await admin.describeGroups([groupId])).groups[0]?.members.map((m) => m.clientId) ?? [];

    const dead = memberProcess(groupId, topic, base, 'resolver-0');
    await dead.joined;
    const deadClient = `${base}@resolver-0#${String(dead.child.pid)}`;
    expect(await members()).toEqual([deadClient]);
    dead.child.kill('SIGKILL');
    await new Promise((resolve) => dead.child.once('exit', resolve));
    // Another instance, alive: never touched.
    const other = memberProcess(groupId, topic, base, 'resolver-1');
    // Its join waits for the dead member (30 s session) unless that one leaves; do not await it yet.

    const me = { clientId: base, instanceId: 'resolver-0', pid: process.pid };
    const started = Date.now();
    const outcome = await leavePreviousMembers({
      kafka: new Kafka({
        clientId: memberClientId(me),
        brokers: testServices().kafkaBrokers,
        logLevel: logLevel.NOTHING,
      }),
      groupId,
      identity: me,
      logger: createLogger('silent'),
    });
    expect(outcome.left).toHaveLength(1);
    expect(outcome.left[0]?.startsWith(`${deadClient}-`)).toBe(true);
    // The other instance's pending join completes now, long before the dead member's session would end.
    await other.joined;
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await members()).toEqual([`${base}@resolver-1#${String(other.child.pid)}`]);

    // A second life of resolver-1 while resolver-1 still runs (the same INSTANCE_ID twice on one host): kept.
    const twin = { clientId: base, instanceId: 'resolver-1', pid: process.pid };
    const again = await leavePreviousMembers({
      kafka: new Kafka({
        clientId: memberClientId(twin),
        brokers: testServices().kafkaBrokers,
        logLevel: logLevel.NOTHING,
      }),
      groupId,
      identity: twin,
      logger: createLogger('silent'),
    });
    expect(again.left).toEqual([]);
    expect(again.kept).toHaveLength(1);
    expect(await members()).toHaveLength(1);
  }, 90_000);
});
