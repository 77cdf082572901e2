import { beforeEach, describe, expect, it } from 'vitest';
import { uniqueName } from '../helpers/names.js';
import { call, recordSchema, registerBody, startTestRegistry } from './registry-fixture.js';

const title = { name: 'title', type: 'string' };
// The registry is shared by the whole run and keeps its data between runs: every schema
// is made unique (its record name), so its global id is this test's alone.
const unique = (fields: unknown[]): string => recordSchema(fields, uniqueName('Film').replace(/-/g, '_'));
const vndJson = 'application/vnd.schemaregistry.v1+json';

describe('schema registry REST API', () => {
  let v1 = '';
  let v2 = '';
  beforeEach(() => {
    v1 = unique([title]);
    v2 = JSON.stringify({
      ...JSON.parse(v1),
      fields: [title, { name: 'year', type: ['null', 'int'], default: null }],
    });
  });

  it('when the root, the schema types, the subject list and the global config are asked for, then it answers like Confluent', async () => {
    const { url } = await startTestRegistry();

    const root = await call(url, 'GET', '/');
    expect(root).toMatchObject({ status: 200, body: {} });
    expect((await call(url, 'GET', '/schemas/types')).body).toEqual(expect.arrayContaining(['AVRO']));
    const subjects = await call(url, 'GET', '/subjects');
    expect(subjects).toMatchObject({ status: 200, contentType: vndJson });
    // An empty registry may answer null (AxonOps) where Confluent answers [].
    expect(Array.isArray(subjects.body ?? [])).toBe(true);
    expect((await call(url, 'GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
  });

  it('when two versions are registered, then versions, latest, raw schema, lookup and ids answer with them', async () => {
    const { url } = await startTestRegistry();
    const subject = uniqueName('films-value');
    const first = await call(url, 'POST', `/subjects/${subject}/versions`, registerBody(v1));
    const second = await call(url, 'POST', `/subjects/${subject}/versions`, registerBody(v2));
    expect(first).toMatchObject({ status: 200, body: { id: expect.any(Number) } });
    expect(second.body.id).not.toBe(first.body.id);

    expect((await call(url, 'GET', '/subjects')).body).toContain(subject);
    expect((await call(url, 'GET', `/subjects/${subject}/versions`)).body).toEqual([1, 2]);
    const latest = await call(url, 'GET', `/subjects/${subject}/versions/latest`);
    // Confluent leaves schemaType out for AVRO; AxonOps says AVRO. Clients read both.
    expect(latest.body).toMatchObject({ subject, id: second.body.id, version: 2, schema: v2 });
    expect(latest.body.schemaType ?? 'AVRO').toBe('AVRO');
    expect((await call(url, 'GET', `/subjects/${subject}/versions/1/schema`)).body).toEqual(JSON.parse(v1));
    expect((await call(url, 'GET', `/schemas/ids/${first.body.id}`)).body).toMatchObject({ schema: v1 });
    const lookup = await call(
      url,
      'POST',
      `/subjects/${subject}`,
      registerBody(JSON.stringify(JSON.parse(v1), null, 2)),
    );
    expect(lookup.body).toMatchObject({ subject, id: first.body.id, version: 1, schema: v1 });
  });

  it('when things are missing, then the error bodies carry 40401, 40402 and 40403', async () => {
    const { url } = await startTestRegistry();
    const subject = uniqueName('films-value');
    await call(url, 'POST', `/subjects/${subject}/versions`, registerBody(v1));

    const noSubject = await call(url, 'GET', '/subjects/nobody-value/versions/latest');
    expect(noSubject).toMatchObject({
      status: 404,
      contentType: vndJson,
      body: { error_code: 40401, message: expect.any(String) },
    });
    expect(await call(url, 'GET', `/subjects/${subject}/versions/7`)).toMatchObject({
      status: 404,
      body: { error_code: 40402 },
    });
    expect(await call(url, 'GET', '/schemas/ids/999')).toMatchObject({
      status: 404,
      body: { error_code: 40403 },
    });
    expect(await call(url, 'POST', `/subjects/${subject}`, registerBody(v2))).toMatchObject({
      status: 404,
      body: { error_code: 40403 },
    });
    expect(await call(url, 'POST', '/subjects/nobody-value', registerBody(v1))).toMatchObject({
      status: 404,
      body: { error_code: 40401 },
    });
  });

  it('when a request is invalid, then the error bodies carry 42201, 42202 and 42203', async () => {
    const { url } = await startTestRegistry();
    const subject = uniqueName('films-value');

    const badAvro = await call(
      url,
      'POST',
      `/subjects/${subject}/versions`,
      registerBody('{"type":"record","name":"X","fields":[{"name":"a","type":"strnig"}]}'),
    );
    expect(badAvro).toMatchObject({
      status: 422,
      body: { error_code: 42201, message: expect.stringContaining('strnig') },
    });
    const badJsonSchema = await call(url, 'POST', `/subjects/${subject}/versions`, {
      schema: '{"type": 42}',
      schemaType: 'JSON',
    });
    expect(badJsonSchema).toMatchObject({ status: 422, body: { error_code: 42201 } });
    expect(await call(url, 'POST', `/subjects/${subject}/versions`, {})).toMatchObject({
      status: 422,
      body: { error_code: 42201 },
    });
    expect(await call(url, 'GET', `/subjects/${subject}/versions/one`)).toMatchObject({
      status: 422,
      body: { error_code: 42202 },
    });
    expect(await call(url, 'PUT', '/config', { compatibility: 'SIDEWAYS' })).toMatchObject({
      status: 422,
      body: { error_code: 42203 },
    });
    expect((await call(url, 'GET', '/subjects')).body ?? []).not.toContain(subject);
  });

  it('when an incompatible schema is registered, then it answers 409 with error_code 409 and adds no version', async () => {
    const { url } = await startTestRegistry();
    const subject = uniqueName('films-value');
    await call(url, 'POST', `/subjects/${subject}/versions`, registerBody(v1));

    const requiredYear = JSON.stringify({
      ...JSON.parse(v1),
      fields: [title, { name: 'year', type: 'int' }],
    });
    const refused = await call(url, 'POST', `/subjects/${subject}/versions`, registerBody(requiredYear));

    expect(refused).toMatchObject({
      status: 409,
      body: { error_code: 409, message: expect.stringContaining('year') },
    });
    expect((await call(url, 'GET', `/subjects/${subject}/versions`)).body).toEqual([1]);
  });

  it('when the subject level is NONE, then an incompatible schema is registered as a new version', async () => {
    const { url } = await startTestRegistry();
    const subject = uniqueName('films-value');
    await call(url, 'POST', `/subjects/${subject}/versions`, registerBody(v1));

    expect(await call(url, 'PUT', `/config/${subject}`, { compatibility: 'NONE' })).toMatchObject({
      status: 200,
      body: { compatibility: 'NONE' },
    });
    const accepted = await call(
      url,
      'POST',
      `/subjects/${subject}/versions`,
      registerBody(JSON.stringify({ ...JSON.parse(v1), fields: [{ name: 'title', type: 'int' }] })),
    );

    expect(accepted.status).toBe(200);
    expect((await call(url, 'GET', `/subjects/${subject}/versions`)).body).toEqual([1, 2]);
  });

  it('when subject config is read, then an unset one is 40408 unless defaultToGlobal, and the global level applies', async () => {
    const { url } = await startTestRegistry();
    const subject = uniqueName('films-value');

    expect(await call(url, 'GET', `/config/${subject}`)).toMatchObject({
      status: 404,
      body: { error_code: 40408 },
    });
    // The registry is shared by the run: the global level is set to what it already is
    // (in lower case, which it must accept), never changed.
    expect(await call(url, 'PUT', '/config', { compatibility: 'backward' })).toMatchObject({
      status: 200,
      body: { compatibility: 'BACKWARD' },
    });
    expect((await call(url, 'GET', `/config/${subject}?defaultToGlobal=true`)).body).toEqual({
      compatibilityLevel: 'BACKWARD',
    });
  });

  it('when compatibility is tested, then is_compatible follows the level, with messages when verbose', async () => {
    const { url } = await startTestRegistry();
    const subject = uniqueName('films-value');
    await call(url, 'POST', `/subjects/${subject}/versions`, registerBody(v1));
    const requiredYear = JSON.stringify({
      ...JSON.parse(v1),
      fields: [title, { name: 'year', type: 'int' }],
    });

    expect(
      (await call(url, 'POST', `/compatibility/subjects/${subject}/versions/latest`, registerBody(v2))).body,
    ).toEqual({ is_compatible: true });
    const refused = await call(
      url,
      'POST',
      `/compatibility/subjects/${subject}/versions/1?verbose=true`,
      registerBody(requiredYear),
    );
    expect(refused.body).toEqual({ is_compatible: false, messages: [expect.any(String)] });
  });

  it('when a version and then a subject are deleted, then they disappear softly, stay readable with deleted=true, and go for good with permanent=true', async () => {
    const { url } = await startTestRegistry();
    const subject = uniqueName('films-value');
    const { body: first } = await call(url, 'POST', `/subjects/${subject}/versions`, registerBody(v1));
    await call(url, 'POST', `/subjects/${subject}/versions`, registerBody(v2));

    expect((await call(url, 'DELETE', `/subjects/${subject}/versions/2`)).body).toBe(2);
    expect((await call(url, 'GET', `/subjects/${subject}/versions`)).body).toEqual([1]);
    expect((await call(url, 'GET', `/subjects/${subject}/versions?deleted=true`)).body).toEqual([1, 2]);
    expect(await call(url, 'DELETE', `/subjects/${subject}/versions/1?permanent=true`)).toMatchObject({
      status: 404,
      body: { error_code: 40407 },
    });

    expect((await call(url, 'DELETE', `/subjects/${subject}`)).body).toEqual([1]);
    expect((await call(url, 'GET', '/subjects')).body ?? []).not.toContain(subject);
    expect(await call(url, 'GET', `/subjects/${subject}/versions/1`)).toMatchObject({
      status: 404,
      body: { error_code: 40401 },
    });
    // Old messages must still decode: a deleted version's id keeps resolving.
    expect((await call(url, 'GET', `/schemas/ids/${first.id}`)).body).toMatchObject({ schema: v1 });

    expect((await call(url, 'DELETE', `/subjects/${subject}?permanent=true`)).body).toEqual([1, 2]);
    expect((await call(url, 'GET', '/subjects?deleted=true')).body ?? []).not.toContain(subject);
    expect(await call(url, 'DELETE', `/subjects/${subject}`)).toMatchObject({
      status: 404,
      body: { error_code: 40401 },
    });
  });

  it('when a deleted schema is registered again, then it keeps its id and gets the next version number', async () => {
    const { url } = await startTestRegistry();
    const subject = uniqueName('films-value');
    const { body: first } = await call(url, 'POST', `/subjects/${subject}/versions`, registerBody(v1));
    await call(url, 'DELETE', `/subjects/${subject}`);

    const again = await call(url, 'POST', `/subjects/${subject}/versions`, registerBody(v1));

    expect(again.body).toEqual({ id: first.id });
    expect((await call(url, 'GET', `/subjects/${subject}/versions`)).body).toEqual([2]);
  });

  it('when a path or method is unknown, or the body is not JSON, then it answers 404, 405 or 400 with an error body', async () => {
    const { url } = await startTestRegistry();

    expect(await call(url, 'GET', '/no/such/path')).toMatchObject({ status: 404, body: { error_code: 404 } });
    expect(await call(url, 'PATCH', '/config')).toMatchObject({ status: 405, body: { error_code: 405 } });
    const notJson = await fetch(`${url}/subjects/x-value/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{schema',
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({
      error_code: expect.any(Number),
      message: expect.any(String),
    });
  });

  it('when a subject is named after a topic with dots and underscores, then it is stored as named', async () => {
    const { url } = await startTestRegistry();
    // Kafka topic names are [a-zA-Z0-9._-]; AxonOps v0.2.1 stores a %2F or %20 in a
    // subject undecoded, which no TopicNameStrategy subject ever needs.
    const subject = `${uniqueName('festival.nominations_retry')}-value`;

    await call(
      url,
      'POST',
      `/subjects/${encodeURIComponent(subject)}/versions`,
      registerBody(unique([title])),
    );

    expect((await call(url, 'GET', '/subjects')).body).toContain(subject);
  });
});
