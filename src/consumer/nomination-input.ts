import type { Nomination } from '../domain/nomination.js';
import { validateNomination, type NominationValidationOptions } from '../domain/nomination-validation.js';
import { InvalidMessageError } from '../errors.js';
import type { AvroCodec } from '../kafka/avro-codec.js';
import { deadLetter, type Disposition } from './disposition.js';

/** A readable nomination, or the dead-letter disposition that says why it is not. */
export type NominationInput = { ok: true; nomination: Nomination } | { ok: false; disposition: Disposition };

/**
 * Turns the bytes of an input message into a valid Nomination for a handler: decode through
 * the registry, then validate. Bytes that never decode become UNDECODABLE, a decoded record
 * that fails validation INVALID_FIELD (errors as data). A registry outage is not the
 * message's fault: the retryable SCHEMA_REGISTRY_ERROR is thrown, and the runner leaves the
 * message uncommitted and delivers it again.
 */
export async function readNomination(
  codec: Pick<AvroCodec, 'decode'>,
  value: Buffer | null,
  options: NominationValidationOptions = {},
): Promise<NominationInput> {
  let record: unknown;
  try {
    record = await codec.decode('nomination', value);
  } catch (error) {
    if (error instanceof InvalidMessageError)
      return { ok: false, disposition: deadLetter(error.reason, 'UNDECODABLE') };
    throw error;
  }
  const result = validateNomination(record, options);
  if (!result.ok)
    return {
      ok: false,
      disposition: deadLetter(`invalid nomination at ${result.field}: ${result.reason}`, 'INVALID_FIELD'),
    };
  return { ok: true, nomination: result.nomination };
}
