import type { TokenCheck } from '@shared/contract/inspect';
import { formatDuration, numericDateToMs, relativeTime } from '@shared/relative-time';

const iso = (ms: number): string => new Date(ms).toISOString();
const isNumericDate = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** ECMA-262 §21.4.1.1: a Date holds ±8.64e15 ms; a NumericDate beyond it names no instant. */
const inDateRange = (ms: number): boolean => Math.abs(ms) <= 8.64e15;

/**
 * `exp` (RFC 7519 §4.1.4): the token must be refused at or after this time. No tolerance: the
 * inspector reports the exact instant; a client's clock-skew leeway is its own choice.
 */
export function checkExpiry(claims: Record<string, unknown>, now: number): TokenCheck {
  const exp = claims.exp;
  const name = 'Expiry (exp)';
  if (exp === undefined)
    return {
      id: 'exp',
      name,
      ok: true,
      detail: 'No exp claim: this token never expires by itself (an ID token must have one).',
    };
  if (!isNumericDate(exp))
    return {
      id: 'exp',
      name,
      ok: false,
      detail: `exp is ${JSON.stringify(exp)}, not a number of seconds: the expiry cannot be checked.`,
    };
  const at = numericDateToMs(exp);
  if (!inDateRange(at))
    return {
      id: 'exp',
      name,
      ok: false,
      detail: `exp is ${exp}, a time outside any calendar a clock can show: the token is refused.`,
    };
  if (now >= at)
    return { id: 'exp', name, ok: false, detail: `Expired at ${iso(at)}, ${formatDuration(now - at)} ago.` };
  return { id: 'exp', name, ok: true, detail: `Valid until ${iso(at)} (${relativeTime(at, now)}).` };
}

/** `nbf` (RFC 7519 §4.1.5): the token must be refused before this time. Checked only when present. */
export function checkNotBefore(claims: Record<string, unknown>, now: number): TokenCheck | null {
  const nbf = claims.nbf;
  const name = 'Not before (nbf)';
  if (nbf === undefined) return null;
  if (!isNumericDate(nbf))
    return {
      id: 'nbf',
      name,
      ok: false,
      detail: `nbf is ${JSON.stringify(nbf)}, not a number of seconds: the start cannot be checked.`,
    };
  const at = numericDateToMs(nbf);
  if (!inDateRange(at))
    return {
      id: 'nbf',
      name,
      ok: false,
      detail: `nbf is ${nbf}, a time outside any calendar a clock can show: the token is refused.`,
    };
  if (now < at)
    return {
      id: 'nbf',
      name,
      ok: false,
      detail: `Not yet valid: valid from ${iso(at)}, ${relativeTime(at, now)}. Check the clocks of the issuer and of this machine.`,
    };
  return { id: 'nbf', name, ok: true, detail: `Valid since ${iso(at)} (${relativeTime(at, now)}).` };
}
