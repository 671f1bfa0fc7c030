import type { IncomingMessage } from 'node:http';
import { readJson } from '../http';

/** The Platform API's body limit: keys and an email fit in far less. */
export const PLATFORM_BODY_LIMIT = 16 * 1024;

/** The Platform API's JSON body: over the limit is a 400, as the Platform API's spec says. */
export const readPlatformJson = (req: IncomingMessage, limit = PLATFORM_BODY_LIMIT): Promise<unknown> =>
  readJson(req, limit, { tooLargeStatus: 400 });

/** One cookie's value from a Cookie header, or null. */
export function readCookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}
