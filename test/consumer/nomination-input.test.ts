import { describe, expect, it } from 'vitest';
import { readNomination } from '../../src/consumer/nomination-input.js';
import { FestivalResolverError, InvalidMessageError } from '../../src/errors.js';
import { cannesNominations } from '../helpers/lineup.js';

/** A codec stand-in that "decodes" whatever record it is given, or fails as told. */
function codecReturning(record: unknown) {
  return {
    decode: () => (record instanceof Error ? Promise.reject(record) : Promise.resolve(record)),
  } as unknown as Parameters<typeof readNomination>[0];
}

describe('readNomination', () => {
  it('when the record decodes and validates, then the nomination comes back', async () => {
    const [nomination] = cannesNominations(2019);
    await expect(readNomination(codecReturning(nomination), Buffer.from([0]))).resolves.toEqual({
      ok: true,
      nomination,
    });
  });

  it('when the decoded record is poisoned, then the answer is an INVALID_FIELD dead letter naming the field', async () => {
    const [nomination] = cannesNominations(2019);
    const poisoned = { ...nomination, film: { ...nomination!.film, title: '{"$ne": null}' } };
    const read = await readNomination(codecReturning(poisoned), Buffer.from([0]));
    expect(read).toEqual({
      ok: false,
      disposition: {
        kind: 'dead_letter',
        code: 'INVALID_FIELD',
        reason: expect.stringMatching(/^invalid nomination at film\.title: .*"\$" key/),
      },
    });
  });

  it('when the bytes do not decode, then the answer is an UNDECODABLE dead letter with the reason of the codec', async () => {
    const read = await readNomination(
      codecReturning(new InvalidMessageError('value does not start with the Confluent magic byte 0')),
      Buffer.from('x'),
    );
    expect(read).toEqual({
      ok: false,
      disposition: {
        kind: 'dead_letter',
        code: 'UNDECODABLE',
        reason: 'value does not start with the Confluent magic byte 0',
      },
    });
  });

  it('when the registry is down, then the retryable registry error passes through (not a dead letter)', async () => {
    const outage = new FestivalResolverError('SCHEMA_REGISTRY_ERROR', 'registry answered 503');
    const read = readNomination(codecReturning(outage), Buffer.from([0]));
    await expect(read).rejects.toBe(outage);
    await expect(read).rejects.not.toBeInstanceOf(InvalidMessageError);
  });
});
