/**
 * The error bodies of the Confluent Schema Registry REST API, `{"error_code": N, "message": "..."}`.
 * Clients branch on `error_code`, so the codes below are the real registry's, not ours.
 */
export const registryErrorCodes = {
  subjectNotFound: { status: 404, code: 40401 },
  versionNotFound: { status: 404, code: 40402 },
  schemaNotFound: { status: 404, code: 40403 },
  subjectSoftDeleted: { status: 404, code: 40404 },
  subjectNotSoftDeleted: { status: 404, code: 40405 },
  versionSoftDeleted: { status: 404, code: 40406 },
  versionNotSoftDeleted: { status: 404, code: 40407 },
  subjectConfigNotFound: { status: 404, code: 40408 },
  incompatibleSchema: { status: 409, code: 409 },
  invalidSchema: { status: 422, code: 42201 },
  invalidVersion: { status: 422, code: 42202 },
  invalidCompatibilityLevel: { status: 422, code: 42203 },
  storeError: { status: 500, code: 50001 },
} as const;

export type RegistryErrorKind = keyof typeof registryErrorCodes;

/** An error the registry answers with a Confluent error body and HTTP status. */
export class RegistryError extends Error {
  readonly status: number;
  readonly errorCode: number;

  constructor(status: number, errorCode: number, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RegistryError';
    this.status = status;
    this.errorCode = errorCode;
  }

  static of(kind: RegistryErrorKind, message: string, options?: { cause?: unknown }): RegistryError {
    const { status, code } = registryErrorCodes[kind];
    return new RegistryError(status, code, message, options);
  }

  /** The JSON body Confluent clients parse. */
  toBody(): { error_code: number; message: string } {
    return { error_code: this.errorCode, message: this.message };
  }
}

export const subjectNotFound = (subject: string): RegistryError =>
  RegistryError.of('subjectNotFound', `Subject '${subject}' not found.`);

export const versionNotFound = (subject: string, version: number | string): RegistryError =>
  RegistryError.of('versionNotFound', `Version ${version} not found for subject '${subject}'.`);

export const schemaNotFound = (detail = 'Schema not found'): RegistryError =>
  RegistryError.of('schemaNotFound', detail);

export const invalidSchema = (detail: string, options?: { cause?: unknown }): RegistryError =>
  RegistryError.of('invalidSchema', `Invalid schema: ${detail}`, options);

export const invalidVersion = (version: string): RegistryError =>
  RegistryError.of(
    'invalidVersion',
    `The specified version '${version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
  );
