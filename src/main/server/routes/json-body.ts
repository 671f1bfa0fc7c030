import type { IncomingMessage } from 'node:http';
import { DeskError } from '../../../shared/errors';

/** The Platform API's body limit: keys and an email fit in far less. */
export const PLATFORM_BODY_LIMIT = 16 * 1024;

/**
 * Reads a JSON body of at most `limit` bytes. Past the limit the rest is read and dropped (not
 * destroyed, up to 64 times the limit) so that the client still gets the 400 answer instead of a
 * reset connection.
 * @throws DeskError 400 `body_too_large` | `invalid_json`.
 */
export function readPlatformJson(req: IncomingMessage, limit = PLATFORM_BODY_LIMIT): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers['content-length'] ?? '0') > limit;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      // Draining is a courtesy for modest overruns; a flood is cut off.
      if (size > 64 * limit) {
        req.destroy();
        reject(new DeskError('body_too_large', `the request body is over ${limit / 1024} KiB`, { status: 400 }));
      }
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (tooLarge) return reject(new DeskError('body_too_large', `the request body is over ${limit / 1024} KiB`, { status: 400 }));
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return reject(new DeskError('invalid_json', 'the request body is empty; send a JSON object', { status: 400 }));
      try {
        resolve(JSON.parse(text) as unknown);
      } catch {
        reject(new DeskError('invalid_json', 'the request body is not valid JSON', { status: 400 }));
      }
    });
  });
}

/** One cookie's value from a Cookie header, or null. */
export function readCookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}
