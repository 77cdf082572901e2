import type { Nomination } from '../domain/nomination.js';
import { validateNomination, type NominationValidationOptions } from '../domain/nomination-validation.js';
import { InvalidMessageError } from '../errors.js';
import type { AvroCodec } from '../kafka/avro-codec.js';

/**
 * Turns the bytes of an input message into a valid Nomination for a handler: decode through
 * the registry, then validate. Undecodable or invalid records throw InvalidMessageError (the
 * runner dead-letters them with the reason); a registry outage throws a retryable
 * SCHEMA_REGISTRY_ERROR, which the runner leaves uncommitted and delivers again.
 */
export async function readNomination(
  codec: Pick<AvroCodec, 'decode'>,
  value: Buffer | null,
  options: NominationValidationOptions = {},
): Promise<Nomination> {
  const record = await codec.decode('nomination', value);
  const result = validateNomination(record, options);
  if (!result.ok) throw new InvalidMessageError(`invalid nomination at ${result.field}: ${result.reason}`);
  return result.nomination;
}
