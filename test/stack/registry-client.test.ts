import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { uniqueName } from '../helpers/names.js';
import { call, recordSchema, startTestRegistry } from './registry-fixture.js';

const filmSchema = recordSchema([
  { name: 'imdbId', type: ['null', 'string'], default: null },
  { name: 'title', type: 'string' },
  { name: 'year', type: 'int' },
]);

/** The first film of the real Cannes lineup, read at run time. */
async function firstCannesFilm(): Promise<{ imdbId: string | null; title: string; year: number }> {
  const text = await readFile('/work/shared/data/cannes-competition.csv', 'utf8');
  const [header, firstRow] = text.split(/\r?\n/);
  const split = (line: string): string[] =>
    [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].map((match) =>
      (match[1] ?? '').replace(/^"|"$/g, '').replaceAll('""', '"'),
    );
  const columns = split(header ?? '');
  const cells = split(firstRow ?? '');
  const cell = (name: string): string => cells[columns.indexOf(name)] ?? '';
  const imdbId = /tt\d{7,10}/.exec(cell('imdb_url'))?.[0] ?? null;
  return { imdbId, title: cell('title'), year: Number(cell('year')) };
}

describe('schema registry with the Confluent client', () => {
  it('when a film is encoded with a registered schema, then the bytes are magic 0, the 4-byte id and the Avro body, and decode returns the film', async () => {
    const registry = await startTestRegistry();
    const client = new SchemaRegistry({ host: registry.url });
    const film = await firstCannesFilm();
    expect(film.title).not.toBe('');

    const { id } = await client.register(
      { type: SchemaType.AVRO, schema: filmSchema },
      { subject: uniqueName('films-value') },
    );
    const encoded = await client.encode(id, film);

    expect(encoded[0]).toBe(0);
    expect(encoded.readUInt32BE(1)).toBe(id);
    expect(encoded.subarray(5)).toEqual(
      avro.Type.forSchema(JSON.parse(filmSchema) as avro.Schema).toBuffer(film),
    );
    // A client with an empty cache fetches the writer schema by id from the registry.
    const decoded: unknown = await new SchemaRegistry({ host: registry.url }).decode(encoded);
    expect(decoded).toEqual(film);
  });

  it('when the same schema is registered again, respelled with other whitespace, then the id and the version stay the same', async () => {
    const registry = await startTestRegistry();
    const client = new SchemaRegistry({ host: registry.url });
    const subject = uniqueName('films-value');

    const first = await client.register({ type: SchemaType.AVRO, schema: filmSchema }, { subject });
    const respelled = JSON.stringify(JSON.parse(filmSchema), null, 4);
    const second = await client.register({ type: SchemaType.AVRO, schema: respelled }, { subject });

    expect(second.id).toBe(first.id);
    expect((await call(registry.url, 'GET', `/subjects/${subject}/versions`)).body).toEqual([1]);
  });

  it('when the same schema is registered under a second subject, then it keeps its global id as version 1 there', async () => {
    const registry = await startTestRegistry();
    const client = new SchemaRegistry({ host: registry.url });
    const other = recordSchema([{ name: 'x', type: 'long' }], 'Other');
    // The registry is shared by the run and keeps its data: a schema of this test's own.
    const film = recordSchema(
      (JSON.parse(filmSchema) as { fields: unknown[] }).fields,
      uniqueName('Film').replace(/-/g, '_'),
    );
    const [subjectA, subjectB, subjectC] = [
      uniqueName('a-value'),
      uniqueName('b-value'),
      uniqueName('c-value'),
    ];

    const inA = await client.register({ type: SchemaType.AVRO, schema: film }, { subject: subjectA });
    const otherInC = await client.register({ type: SchemaType.AVRO, schema: other }, { subject: subjectC });
    const inB = await client.register({ type: SchemaType.AVRO, schema: film }, { subject: subjectB });

    expect(otherInC.id).not.toBe(inA.id);
    expect(inB.id).toBe(inA.id);
    expect(await client.getRegistryId(subjectB, 1)).toBe(inA.id);
    expect((await call(registry.url, 'GET', `/schemas/ids/${inA.id}/versions`)).body).toEqual([
      { subject: subjectA, version: 1 },
      { subject: subjectB, version: 1 },
    ]);
  });

  it('when the client registers a subject for the first time, then it finds no subject config and sets BACKWARD, which the registry keeps', async () => {
    const registry = await startTestRegistry();
    const client = new SchemaRegistry({ host: registry.url });
    const subject = uniqueName('films-value');

    await client.register({ type: SchemaType.AVRO, schema: filmSchema }, { subject });

    expect((await call(registry.url, 'GET', `/config/${subject}`)).body).toEqual({
      compatibilityLevel: 'BACKWARD',
    });
    expect(await client.getLatestSchemaId(subject)).toBeGreaterThan(0);
  });

  it('when the client registers an incompatible schema, then it rejects with status 409 and the registry keeps one version', async () => {
    const registry = await startTestRegistry();
    const client = new SchemaRegistry({ host: registry.url });
    const subject = uniqueName('films-value');
    await client.register({ type: SchemaType.AVRO, schema: filmSchema }, { subject });
    const yearAsString = recordSchema([
      { name: 'imdbId', type: ['null', 'string'], default: null },
      { name: 'title', type: 'string' },
      { name: 'year', type: 'string' },
    ]);

    await expect(
      client.register({ type: SchemaType.AVRO, schema: yearAsString }, { subject }),
    ).rejects.toMatchObject({ status: 409 });
    expect((await call(registry.url, 'GET', `/subjects/${subject}/versions`)).body).toEqual([1]);
  });

  it("when the project's own schemas in schemas/ are registered, then each gets an id and round-trips by lookup", async () => {
    const registry = await startTestRegistry();
    const client = new SchemaRegistry({ host: registry.url });
    const files = (await readdir('schemas')).filter((file) => file.endsWith('.avsc'));
    expect(files.length).toBeGreaterThan(0);

    for (const file of files) {
      const schema = await readFile(join('schemas', file), 'utf8');
      const subject = uniqueName(file.replace('.avsc', '-value'));
      const { id } = await client.register({ type: SchemaType.AVRO, schema }, { subject });
      expect(await client.getRegistryIdBySchema(subject, { type: SchemaType.AVRO, schema })).toBe(id);
    }
  });
});
