import type { Kafka } from 'kafkajs';
import type { Logger } from '../logger.js';

/**
 * A restarted process is a new member of its consumer group: kafkajs 2.2 sends no
 * `group.instance.id` (KIP-345 static membership; its JoinGroup never fills the field of
 * v5), so the coordinator keeps the dead process's member, and its partitions, until that
 * member's session times out. Instead, a process names itself in its consumer's client id
 * (`<KAFKA_CLIENT_ID>@<INSTANCE_ID>#<pid>`, which the coordinator shows for every member) and,
 * before it joins, sends a LeaveGroup for each member that an earlier, dead life of the same
 * instance left behind. LeaveGroup with a member id is valid for dynamic members in every
 * version (v0–v3); the coordinator drops the member at once and the join does not wait.
 *
 * Like static membership, this needs INSTANCE_ID to be unique among live processes of one
 * group. Within that rule a member is only taken for dead when that can be told: its pid is
 * this process's own (a restarted container) and no other runner of this process uses the
 * same identity, or no process with its pid exists on this host. A member whose pid is alive
 * here (another process on the host, or a reused pid) is left alone: its session decides.
 */

/** Who this process is in the group. */
export interface MemberIdentity {
  /** KAFKA_CLIENT_ID, shared by every instance. */
  clientId: string;
  /** INSTANCE_ID: stable across restarts of one instance, unique among live ones. */
  instanceId: string;
  pid: number;
}

/** The kafkajs client id of the consumer: the coordinator reports it for each member. */
export function memberClientId(identity: MemberIdentity): string {
  return `${identity.clientId}@${identity.instanceId}#${identity.pid}`;
}

/** The pid in a member's client id when it names the same instance, else null. */
export function samePidOrNull(memberClient: string, identity: MemberIdentity): number | null {
  const prefix = `${identity.clientId}@${identity.instanceId}#`;
  if (!memberClient.startsWith(prefix)) return null;
  const pid = memberClient.slice(prefix.length);
  return /^\d{1,10}$/.test(pid) ? Number(pid) : null;
}

/** True when a process with this pid exists on this host (EPERM: it exists, not ours to signal). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Identities of the consumer runners alive in this process (several in tests), by client id. */
const runningHere = new Map<string, number>();

/** Counts a runner of this process under its client id; the returned function releases it. */
export function registerRunner(identity: MemberIdentity): () => void {
  const id = memberClientId(identity);
  runningHere.set(id, (runningHere.get(id) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const n = (runningHere.get(id) ?? 1) - 1;
    if (n <= 0) runningHere.delete(id);
    else runningHere.set(id, n);
  };
}

const sameProcess = 'another consumer of this process has the same identity';

/** Why a member of the same instance was left in the group, or null when it is dead. */
export function keepReason(
  pid: number,
  identity: MemberIdentity,
  exists: (pid: number) => boolean = processExists,
): string | null {
  if (pid === identity.pid) return (runningHere.get(memberClientId(identity)) ?? 0) > 1 ? sameProcess : null;
  return exists(pid) ? `a process with pid ${pid} is alive on this host` : null;
}

/** The part of a kafkajs broker (the group coordinator) that describes the group and sends a LeaveGroup. */
interface Coordinator {
  describeGroups(request: {
    groupIds: string[];
  }): Promise<{ groups: { groupId: string; members: { memberId: string; clientId: string }[] }[] }>;
  leaveGroup(request: { groupId: string; memberId: string }): Promise<unknown>;
}
interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  findGroupCoordinator(request: { groupId: string }): Promise<Coordinator>;
}

/**
 * A kafkajs cluster built with the client's own settings (brokers, TLS, SASL, retries).
 * kafkajs has no public LeaveGroup for another member id; its broker object has one, reached
 * through the factory the Kafka client keeps under a private symbol. null when an upgrade
 * renamed it (test/kafka/group-membership.test.ts fails then).
 */
export function internalCluster(kafka: Kafka): InternalCluster | null {
  const key = Object.getOwnPropertySymbols(kafka).find(
    (s) => s.description === 'private:Kafka:createCluster',
  );
  const create: unknown = key === undefined ? undefined : (kafka as unknown as Record<symbol, unknown>)[key];
  if (typeof create !== 'function') return null;
  return (create as (options: { allowAutoTopicCreation: boolean }) => InternalCluster)({
    allowAutoTopicCreation: false,
  });
}

/** What leavePreviousMembers did. */
export interface LeaveOutcome {
  left: string[];
  kept: { memberId: string; reason: string }[];
}

/**
 * Removes from the group the members that dead lives of this instance left behind; call it
 * before this process's consumer joins (it may run while the rest of start-up does). Never
 * throws: on any failure the join simply waits for those members' sessions to expire.
 */
export async function leavePreviousMembers(options: {
  kafka: Kafka;
  groupId: string;
  identity: MemberIdentity;
  logger: Logger;
  exists?: (pid: number) => boolean;
}): Promise<LeaveOutcome> {
  const { kafka, groupId, identity, logger } = options;
  const outcome: LeaveOutcome = { left: [], kept: [] };
  const cluster = internalCluster(kafka);
  if (cluster === null) {
    logger.warn(
      {},
      'this kafkajs offers no LeaveGroup; members of a dead earlier life leave when their sessions time out',
    );
    return outcome;
  }
  try {
    await cluster.connect();
    const coordinator = await cluster.findGroupCoordinator({ groupId });
    const { groups } = await coordinator.describeGroups({ groupIds: [groupId] });
    const stale: string[] = [];
    for (const member of groups.find((g) => g.groupId === groupId)?.members ?? []) {
      const pid = samePidOrNull(member.clientId, identity);
      if (pid === null) continue;
      const reason = keepReason(pid, identity, options.exists);
      if (reason === null) stale.push(member.memberId);
      else outcome.kept.push({ memberId: member.memberId, reason });
    }
    for (const kept of outcome.kept)
      logger[kept.reason === sameProcess ? 'debug' : 'warn'](
        { ...kept, instanceId: identity.instanceId },
        'a member with this INSTANCE_ID may be alive; it is left to its session timeout (INSTANCE_ID must be unique per live process)',
      );
    for (const memberId of stale) {
      // UNKNOWN_MEMBER_ID: its session expired meanwhile; nothing to do.
      await coordinator.leaveGroup({ groupId, memberId }).then(
        () => outcome.left.push(memberId),
        (error: unknown) =>
          logger.debug({ memberId, detail: String(error) }, 'LeaveGroup for a dead member failed'),
      );
    }
    if (outcome.left.length > 0)
      logger.info(
        { left: outcome.left, instanceId: identity.instanceId },
        'removed the members an earlier life of this instance left in the group',
      );
  } catch (error) {
    logger.warn(
      { detail: error instanceof Error ? error.message : String(error) },
      'could not look for members of an earlier life; the join waits for their session timeout',
    );
  } finally {
    await cluster.disconnect().catch(() => undefined);
  }
  return outcome;
}
