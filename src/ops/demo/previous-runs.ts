import type { Admin } from 'kafkajs';
import type { MongoClient } from 'mongodb';
import { demoNames, runIdOf } from './demo-names.js';

/**
 * Removes what earlier demo runs of the namespace left on the stack: their databases,
 * topics, registry subjects and consumer groups, so a second `npm run demo` needs no manual
 * cleanup. A run whose consumer group still has members (a demo left running with
 * --keep-running) is kept.
 */

/** What was removed, for the demo to print. */
export interface RemovedRuns {
  runs: string[];
  kept: string[];
  databases: number;
  topics: number;
}

export interface PreviousRunsInput {
  namespace: string;
  /** The current run: never removed. */
  currentRunId: string;
  admin: Admin;
  mongo: MongoClient;
  registryUrl: string;
}

async function activeRun(admin: Admin, groupId: string): Promise<boolean> {
  try {
    const { groups } = await admin.describeGroups([groupId]);
    return groups.some((g) => g.members.length > 0);
  } catch {
    return false;
  }
}

async function deleteSubjects(
  registryUrl: string,
  namespace: string,
  runs: ReadonlySet<string>,
): Promise<void> {
  const response = await fetch(`${registryUrl}/subjects`).catch(() => undefined);
  if (response?.ok !== true) return;
  const subjects: unknown = await response.json();
  if (!Array.isArray(subjects)) return;
  for (const subject of subjects) {
    if (typeof subject !== 'string') continue;
    const runId = runIdOf(namespace, subject);
    if (runId === null || !runs.has(runId)) continue;
    const url = `${registryUrl}/subjects/${encodeURIComponent(subject)}`;
    await fetch(url, { method: 'DELETE' }).catch(() => undefined);
    await fetch(`${url}?permanent=true`, { method: 'DELETE' }).catch(() => undefined);
  }
}

export async function removePreviousRuns(input: PreviousRunsInput): Promise<RemovedRuns> {
  const { namespace, admin, mongo } = input;
  const { databases } = await mongo.db('admin').admin().listDatabases({ nameOnly: true });
  const databaseNames = databases.map((d) => d.name).filter((name) => runIdOf(namespace, name) !== null);
  const topicNames = (await admin.listTopics()).filter((name) => runIdOf(namespace, name) !== null);
  const runIds = new Set([...databaseNames, ...topicNames].map((name) => runIdOf(namespace, name) ?? ''));
  runIds.delete(input.currentRunId);

  const runs: string[] = [];
  const kept: string[] = [];
  for (const runId of [...runIds].sort()) {
    if (await activeRun(admin, demoNames(namespace, runId).groupId)) kept.push(runId);
    else runs.push(runId);
  }
  const removing = new Set(runs);
  const dropDatabases = databaseNames.filter((name) => removing.has(runIdOf(namespace, name) ?? ''));
  for (const name of dropDatabases) await mongo.db(name).dropDatabase();
  const deleteTopics = topicNames.filter((name) => removing.has(runIdOf(namespace, name) ?? ''));
  if (deleteTopics.length > 0) await admin.deleteTopics({ topics: deleteTopics, timeout: 15_000 });
  const groups = runs.map((runId) => demoNames(namespace, runId).groupId);
  if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
  await deleteSubjects(input.registryUrl, namespace, removing);
  return { runs, kept, databases: dropDatabases.length, topics: deleteTopics.length };
}
