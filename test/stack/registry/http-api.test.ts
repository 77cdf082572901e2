import { describe, expect, it } from 'vitest';
import { uniqueName } from '../../helpers/names.js';
import { call, recordSchema, registerBody, startTestRegistry } from './registry-fixture.js';

const title = { name: 'title', type: 'string' };
const v1 = recordSchema([title]);
const v2 = recordSchema([title, { name: 'year', type: ['null', 'int'], default: null }]);
const vndJson = 'application/vnd.schemaregistry.v1+json';

describe('schema registry stand-in REST API', () => {
  it('when the root, the schema types and an empty subject list are asked for, then it answers like Confluent in its content type', async () => {
    const { url } = await startTestRegistry();

    const root = await call(url, 'GET', '/');
    expect(root).toEqual({ status: 200, contentType: vndJson, body: {} });
    expect((await call(url, 'GET', '/schemas/types')).body).toEqual(['AVRO']);
    expect((await call(url, 'GET', '/subjects')).body).toEqual([]);
    expect((await call(url, 'GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
  });

  it('when two versions are registered, then versions, latest, raw schema, lookup and ids answer with them', async () => {
    const { url } = await startTestRegistry();
    const subject = uniqueName('films-value');

    const first = await call(url, 'POST', `/subjects/${subject}/versions`, registerBody(v1));
    const second = await call(url, 'POST', `/subjects/${subject}/versions`, registerBody(v2));
    expect(first).toMatchObject({ status: 200, body: { id: expect.any(Number) } });
    expect(second.body.id).not.toBe(first.body.id);

    expect((await call(url, 'GET', '/subjects')).body).toEqual([subject]);
    expect((await call(url, 'GET', `/subjects/${subject}/versions`)).body).toEqual([1, 2]);
    const latest = await call(url, 'GET', `/subjects/${subject}/versions/latest`);
    expect(latest.body).toEqual({ subject, id: second.body.id, version: 2, schema: v2 });
    expect('schemaType' in latest.body).toBe(false);
    expect((await call(url, 'GET', `/subjects/${subject}/versions/1/schema`)).body).toEqual(JSON.parse(v1));
    expect((await call(url, 'GET', `/schemas/ids/${first.body.id}`)).body).toEqual({ schema: v1 });
    const lookup = await call(
      url,
      'POST',
      `/subjects/${subject}`,
      registerBody(JSON.stringify(JSON.parse(v1), null, 2)),
    );
    expect(lookup.body).toEqual({ subject, id: first.body.id, version: 1, schema: v1 });
  });

  it('when things are missing, then the error bodies carry 40401, 40402 and 40403', async () => {
    const { url } = await startTestRegistry();
    const subject = uniqueName('films-value');
    await call(url, 'POST', `/subjects/${subject}/versions`, registerBody(v1));

    const noSubject = await call(url, 'GET', '/subjects/nobody-value/versions/latest');
    expect(noSubject).toMatchObject({
      status: 404,
      contentType: vndJson,
      body: { error_code: 40401, message: expect.stringContaining('nobody-value') },
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
    const protobuf = await call(url, 'POST', `/subjects/${subject}/versions`, {
      schema: 'syntax = "proto3";',
      schemaType: 'PROTOBUF',
    });
    expect(protobuf).toMatchObject({
      status: 422,
      body: { error_code: 42201, message: expect.stringContaining('only AVRO') },
    });
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
    expect((await call(url, 'GET', '/subjects')).body).toEqual([]);
  });

  it('when an incompatible schema is registered, then it answers 409 with error_code 409 and adds no version', async () => {
    const { url } = await startTestRegistry();
    const subject = uniqueName('films-value');
    await call(url, 'POST', `/subjects/${subject}/versions`, registerBody(v1));

    const requiredYear = recordSchema([title, { name: 'year', type: 'int' }]);
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
      registerBody(recordSchema([{ name: 'title', type: 'int' }])),
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
    expect(await call(url, 'PUT', '/config', { compatibility: 'full' })).toMatchObject({
      status: 200,
      body: { compatibility: 'FULL' },
    });
    expect((await call(url, 'GET', `/config/${subject}?defaultToGlobal=true`)).body).toEqual({
      compatibilityLevel: 'FULL',
    });
  });

  it('when compatibility is tested, then is_compatible follows the level, with messages when verbose', async () => {
    const { url } = await startTestRegistry();
    const subject = uniqueName('films-value');
    await call(url, 'POST', `/subjects/${subject}/versions`, registerBody(v1));
    const requiredYear = recordSchema([title, { name: 'year', type: 'int' }]);

    expect(
      (await call(url, 'POST', `/compatibility/subjects/${subject}/versions/latest`, registerBody(v2))).body,
    ).toEqual({ is_compatible: true });
    const refused = await call(
      url,
      'POST',
      `/compatibility/subjects/${subject}/versions/1?verbose=true`,
      registerBody(requiredYear),
    );
    expect(refused.body).toEqual({ is_compatible: false, messages: [expect.stringContaining('version 1')] });
    expect(
      await call(url, 'POST', '/compatibility/subjects/nobody-value/versions/latest', registerBody(v1)),
    ).toMatchObject({ status: 404, body: { error_code: 40401 } });
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
    expect((await call(url, 'GET', '/subjects')).body).toEqual([]);
    expect(await call(url, 'GET', `/subjects/${subject}/versions/1`)).toMatchObject({
      status: 404,
      body: { error_code: 40401 },
    });
    // Old messages must still decode: a deleted version's id keeps resolving.
    expect((await call(url, 'GET', `/schemas/ids/${first.id}`)).body).toEqual({ schema: v1 });

    expect((await call(url, 'DELETE', `/subjects/${subject}?permanent=true`)).body).toEqual([1, 2]);
    expect((await call(url, 'GET', '/subjects?deleted=true')).body).toEqual([]);
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
    expect(await notJson.json()).toMatchObject({ error_code: 400 });
  });

  it('when a subject name holds URL-encoded characters, then it is stored decoded', async () => {
    const { url } = await startTestRegistry();
    const subject = `${uniqueName('festival.nominations')}/value with space`;

    await call(url, 'POST', `/subjects/${encodeURIComponent(subject)}/versions`, registerBody(v1));

    expect((await call(url, 'GET', '/subjects')).body).toEqual([subject]);
  });
});
