import type { IncomingMessage } from 'node:http';
import { constantTimeEqual } from '../engine/crypto/hash';
import { checkHost } from '../engine/network/check-host';

export const KEY_HEADER = 'x-sso-desk-key';

export type GuardVerdict = { ok: true } | { ok: false; status: 401 | 403; code: string; message: string };

/**
 * The browser host's gate for contract calls. DNS rebinding is stopped by the exact Host check, a
 * foreign page by the Origin check (browsers always send Origin on a cross-origin POST), and any
 * other local process by the per-launch key, which only the console URL's fragment carries.
 */
export function checkCall(req: IncomingMessage, origin: string, key: string): GuardVerdict {
  // Exactly the console's own name: the key lives in this origin's URL fragment and nowhere else.
  const badHost = checkHost(req, [new URL(origin).host], 403);
  if (badHost) return { ok: false, status: 403, code: badHost.code, message: badHost.message };
  const from = req.headers.origin;
  if (from !== undefined && from !== origin)
    return { ok: false, status: 403, code: 'bad_origin', message: 'calls from another origin are refused' };
  const given = req.headers[KEY_HEADER];
  if (typeof given !== 'string' || given.length === 0)
    return {
      ok: false,
      status: 401,
      code: 'no_key',
      message: `missing ${KEY_HEADER} header: open the console URL printed at start-up`,
    };
  if (!constantTimeEqual(given, key)) return { ok: false, status: 401, code: 'bad_key', message: 'wrong console key' };
  return { ok: true };
}
