import type { Finding } from '@shared/contract/diagnose';
import { finding, headerOf, type Check, type DiagnoseContext } from './model';
import { jwtsOf } from './id-tokens';

/** Clocks a few seconds apart are normal; RFC 7519 §4.1.4 lets verifiers allow "a small leeway". */
const LEEWAY_MS = 30_000;

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const span = (ms: number): string => {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
};

/**
 * The clock difference between the browser (the HAR's `startedDateTime`) and the server that answered
 * (its `Date` header, RFC 9110 §6.6.1), in ms: positive when the browser is ahead. Null without both.
 */
export function clockDifference(ctx: DiagnoseContext, index: number): number | null {
  const raw = ctx.exchanges[index]?.raw;
  const date = raw ? headerOf(raw.responseHeaders, 'date') : undefined;
  if (!raw || raw.startedMs === null || !date) return null;
  const server = Date.parse(date);
  if (!Number.isFinite(server)) return null;
  // The Date header has one-second resolution; a difference under two seconds is no difference.
  const d = raw.startedMs - server;
  return Math.abs(d) < 2000 ? 0 : d;
}

function clockWords(diff: number | null): string {
  if (diff === null) return '';
  if (diff === 0) return ' The browser’s clock and the server’s Date header agree.';
  return ` The browser’s clock is ${span(diff)} ${diff > 0 ? 'ahead of' : 'behind'} the server’s (its Date header).`;
}

/**
 * `token_expired` and `token_not_yet_valid`: a token's exp, nbf and iat (RFC 7519 §4.1.4-4.1.6) against
 * the moment the capture received it, with the clock difference read from the capture itself.
 */
export const checkTokenTimes: Check = (ctx) => {
  const out: Finding[] = [];
  for (const t of jwtsOf(ctx)) {
    const at = ctx.exchanges[t.index]!.raw?.startedMs;
    if (at === null || at === undefined) continue;
    const diff = clockDifference(ctx, t.index);
    const fixClock =
      diff !== null && Math.abs(diff) > LEEWAY_MS
        ? 'Set the clock of the user’s computer right (turn on automatic time), then sign in again.'
        : 'Sign in again promptly; if it keeps happening, ' +
          'compare the clocks of the user’s computer and the server that checks the token.';
    const exp = typeof t.claims.exp === 'number' ? t.claims.exp * 1000 : null;
    const nbf = typeof t.claims.nbf === 'number' ? t.claims.nbf * 1000 : null;
    const iat = typeof t.claims.iat === 'number' ? t.claims.iat * 1000 : null;
    if (exp !== null && at > exp + LEEWAY_MS) {
      out.push(
        finding(
          'token_expired',
          'error',
          t,
          `The ${t.name} expired at ${iso(exp)}, but the capture received it at ${iso(at)}, ${span(at - exp)} later.${clockWords(diff)}`,
          fixClock,
        ),
      );
      continue;
    }
    const start = nbf ?? iat;
    if (start !== null && start > at + LEEWAY_MS)
      out.push(
        finding(
          'token_not_yet_valid',
          'error',
          t,
          `The ${t.name} is valid only from ${iso(start)} (${nbf !== null ? 'nbf' : 'iat'}), ` +
            `but the capture received it at ${iso(at)}, ${span(start - at)} earlier.${clockWords(diff)}`,
          fixClock,
        ),
      );
  }
  return out;
};
