import { DeskError } from '@shared/errors';

/**
 * Checks a Platform API JSON body: an object whose named fields are all present and strings.
 * The error says which field and what is wrong with it (400).
 * @throws DeskError `invalid_body` | `missing_field` | `invalid_field`
 */
export function requireStringFields<K extends string>(body: unknown, names: readonly K[]): Record<K, string> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new DeskError('invalid_body', `the request body must be a JSON object with ${names.join(', ')}`, {
      status: 400,
    });
  }
  const out = {} as Record<K, string>;
  for (const name of names) {
    const value = (body as Record<string, unknown>)[name];
    if (value === undefined || value === null)
      throw new DeskError('missing_field', `${name} is missing`, { field: name, status: 400 });
    if (typeof value !== 'string')
      throw new DeskError(
        'invalid_field',
        `${name} must be a string, not ${Array.isArray(value) ? 'an array' : typeof value}`,
        {
          field: name,
          status: 400,
        },
      );
    if (value.length === 0) throw new DeskError('invalid_field', `${name} is empty`, { field: name, status: 400 });
    out[name] = value;
  }
  return out;
}

// Deliberately simple (RFC 5321 allows far more than any user table holds): one @, no spaces, a dot
// in the domain, at most 254 characters.
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** @throws DeskError `invalid_email` (400) when `value` is not an email address. */
export function requireEmail(value: string, field: string): string {
  if (value.length > 254 || !EMAIL.test(value.trim()))
    throw new DeskError('invalid_email', `${field} is not an email address`, { field, status: 400 });
  return value.trim();
}
