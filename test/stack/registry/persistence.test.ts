import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startRegistryServer } from '../../../src/stack/registry/server.js';
import { stateFileName } from '../../../src/stack/registry/store.js';
import { uniqueName } from '../../helpers/names.js';
import { call, recordSchema, registerBody, startTestRegistry, testDataDir } from './registry-fixture.js';

const title = { name: 'title', type: 'string' };
const v1 = recordSchema([title]);
const v2 = recordSchema([title, { name: 'year', type: ['null', 'int'], default: null }]);
const v3 = recordSchema([{ name: 'count', type: 'long' }], 'Counter');

describe('schema registry stand-in persistence', () => {
  it('when the registry restarts on the same data dir, then subjects, versions, ids, levels and soft deletes are still there', async () => {
    const first = await startTestRegistry();
    const subject = uniqueName('films-value');
    const deletedSubject = uniqueName('gone-value');
    const id1 = (await call(first.url, 'POST', `/subjects/${subject}/versions`, registerBody(v1))).body
      .id as number;
    const id2 = (await call(first.url, 'POST', `/subjects/${subject}/versions`, registerBody(v2))).body
      .id as number;
    await call(first.url, 'PUT', `/config/${subject}`, { compatibility: 'FULL_TRANSITIVE' });
    await call(first.url, 'PUT', '/config', { compatibility: 'NONE' });
    await call(first.url, 'POST', `/subjects/${deletedSubject}/versions`, registerBody(v3));
    await call(first.url, 'DELETE', `/subjects/${deletedSubject}`);
    await first.close();

    const second = await startTestRegistry(first.dataDir);

    expect((await call(second.url, 'GET', '/subjects')).body).toEqual([subject]);
    expect((await call(second.url, 'GET', `/subjects/${subject}/versions/latest`)).body).toEqual({
      subject,
      id: id2,
      version: 2,
      schema: v2,
    });
    expect((await call(second.url, 'GET', `/schemas/ids/${id1}`)).body).toEqual({ schema: v1 });
    expect((await call(second.url, 'GET', `/config/${subject}`)).body).toEqual({
      compatibilityLevel: 'FULL_TRANSITIVE',
    });
    expect((await call(second.url, 'GET', '/config')).body).toEqual({ compatibilityLevel: 'NONE' });
    expect((await call(second.url, 'GET', '/subjects?deleted=true')).body).toEqual(
      [deletedSubject, subject].sort(),
    );
  });

  it('when a new schema is registered after a restart, then it gets a fresh id, never one already handed out', async () => {
    const first = await startTestRegistry();
    const subject = uniqueName('films-value');
    const ids = [
      (await call(first.url, 'POST', `/subjects/${subject}/versions`, registerBody(v1))).body.id as number,
      (await call(first.url, 'POST', `/subjects/${subject}/versions`, registerBody(v2))).body.id as number,
    ];
    await first.close();

    const second = await startTestRegistry(first.dataDir);
    const other = uniqueName('counters-value');
    const next = (await call(second.url, 'POST', `/subjects/${other}/versions`, registerBody(v3))).body
      .id as number;
    const again = (await call(second.url, 'POST', `/subjects/${other}-copy/versions`, registerBody(v1))).body
      .id as number;

    expect(ids).not.toContain(next);
    expect(next).toBeGreaterThan(Math.max(...ids));
    expect(again).toBe(ids[0]);
  });

  it('when many registrations run at once, then every one is saved and no temporary file is left behind', async () => {
    const first = await startTestRegistry();
    const subjects = Array.from({ length: 12 }, () => uniqueName('burst-value'));
    const answers = await Promise.all(
      subjects.map((subject) => call(first.url, 'POST', `/subjects/${subject}/versions`, registerBody(v1))),
    );
    expect(answers.map((answer) => answer.status)).toEqual(subjects.map(() => 200));
    await first.close();

    expect(await readdir(first.dataDir)).toEqual([stateFileName]);
    const second = await startTestRegistry(first.dataDir);
    expect((await call(second.url, 'GET', '/subjects')).body).toEqual([...subjects].sort());
  });

  it('when the state file is damaged, then the registry refuses to start instead of starting empty', async () => {
    const dataDir = await testDataDir();
    await writeFile(join(dataDir, stateFileName), JSON.stringify({ formatVersion: 1, nextId: 'x' }));

    await expect(startRegistryServer({ port: 0, dataDir })).rejects.toThrow(/not valid/);
  });
});
