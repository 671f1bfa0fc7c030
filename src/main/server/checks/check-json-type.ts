import type { IncomingMessage } from 'node:http';
import type { Refusal } from '../../engine/network/refusal';

/**
 * A JSON endpoint reads only a JSON body (`application/json` or a `+json` type). The content types a
 * web page may send cross-origin without a preflight (`text/plain`, forms) are refused with 415
 * Unsupported Media Type (RFC 9110 §15.5.16), so that a JSON body smuggled as text is never evaluated.
 */
export function checkJsonType(req: IncomingMessage): Refusal | null {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type)) return null;
  return {
    status: 415,
    code: 'unsupported_media_type',
    message: `send the body as JSON with "Content-Type: application/json"${type ? ` (not ${type})` : ''}`,
  };
}
