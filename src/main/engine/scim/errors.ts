/**
 * SCIM's error shape (RFC 7644 §3.12): `{"schemas": [Error URN], "status": "<HTTP status as a string>",
 * "scimType": "...", "detail": "..."}`. Every refusal of the SCIM endpoint is one of these, never a 5xx.
 */
export const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** RFC 7644 §3.12 Table 9, plus the statuses that carry no scimType (401, 403, 404). */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

export class ScimError extends Error {
  readonly status: number;
  readonly scimType: ScimType | undefined;

  constructor(status: number, detail: string, scimType?: ScimType) {
    super(detail);
    this.name = 'ScimError';
    this.status = status;
    this.scimType = scimType;
  }

  toJSON(): Record<string, unknown> {
    return {
      schemas: [ERROR_URN],
      status: String(this.status),
      ...(this.scimType ? { scimType: this.scimType } : {}),
      detail: this.message,
    };
  }
}

export const badRequest = (detail: string, scimType: ScimType = 'invalidValue'): ScimError =>
  new ScimError(400, detail, scimType);
export const notFoundScim = (detail: string): ScimError => new ScimError(404, detail);
