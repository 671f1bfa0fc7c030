import type { IncomingMessage } from 'node:http';
import { DeskError } from '@shared/errors';
import { checkJsonType } from '../checks/check-json-type';
import { readJson, type BodyOptions } from '../http';

/** The Platform API's body limit: keys and an email fit in far less. */
export const PLATFORM_BODY_LIMIT = 16 * 1024;

/**
 * A JSON endpoint's body: anything but a JSON content type is refused (415) before it is read.
 * @throws DeskError `unsupported_media_type` (415), `invalid_json` (400), `body_too_large`.
 */
export function readJsonBody(req: IncomingMessage, limit: number, opts: BodyOptions = {}): Promise<unknown> {
  const refusal = checkJsonType(req);
  if (refusal) {
    req.resume();
    return Promise.reject(new DeskError(refusal.code, refusal.message, { status: refusal.status }));
  }
  return readJson(req, limit, opts);
}

/** The Platform API's JSON body: over the limit is a 400, as the Platform API's spec says. */
export const readPlatformJson = (req: IncomingMessage, limit = PLATFORM_BODY_LIMIT): Promise<unknown> =>
  readJsonBody(req, limit, { tooLargeStatus: 400 });

/** One cookie's value from a Cookie header, or null. */
export function readCookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}
