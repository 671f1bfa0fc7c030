import type { EngineContext } from '../context';
import { DeskError } from '@shared/errors';
import { MASK } from '@shared/trace';
import { queryAudit } from '../../store/audit';

export interface TryItResult {
  url: string;
  status: number;
  body: unknown;
  durationMs: number;
  /** BotAPISecret masked: safe to show, to screenshot, to paste in a ticket. */
  curl: string;
  curlRevealed: string;
}

/** POSIX-shell single quoting: the command can be pasted as is. */
const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The console's "Try it": calls this install's own `POST /authorization/sso` over HTTP, exactly as a
 * customer's server would, and returns the response with the curl command that does the same.
 * The keys come from the user (they are stored hashed, so SSO Desk cannot fill them in itself,
 * except for the demo world's, which the console offers).
 * @throws DeskError `api_not_running` when the Platform API does not listen.
 */
export async function tryIssue(
  ctx: EngineContext,
  input: { accountKey: string; botKey: string; botSecret: string; email: string },
): Promise<TryItResult> {
  if (!ctx.urls.api) throw new DeskError('api_not_running', 'the Platform API is not running', { status: 503 });
  const url = `${ctx.urls.api}/authorization/sso`;
  const curlFor = (body: string) =>
    `curl -sS -X POST ${sq(url)} -H 'Content-Type: application/json' --data ${sq(body)}`;
  const json = JSON.stringify({
    AccountAPIKey: input.accountKey,
    BotAPIKey: input.botKey,
    BotAPISecret: input.botSecret,
    Email: input.email,
  });
  const started = performance.now();
  const startedAt = ctx.clock.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: json,
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    body = text;
  }
  // A refusal's real reason is in the audit event the API wrote for this very request.
  const email = input.email.trim().toLowerCase();
  const event =
    res.status === 200
      ? undefined
      : queryAudit(ctx.store.db, { method: 'platform-sso' }, { limit: 10 }).find(
          (e) => e.kind === 'sso.token.issue' && e.at >= startedAt && (e.email ?? '').toLowerCase() === email,
        );
  return {
    ...(event?.reason ? { reason: event.reason } : {}),
    url,
    status: res.status,
    body,
    durationMs: Math.round((performance.now() - started) * 10) / 10,
    curl: curlFor(
      JSON.stringify({
        AccountAPIKey: input.accountKey,
        BotAPIKey: input.botKey,
        BotAPISecret: MASK,
        Email: input.email,
      }),
    ),
    curlRevealed: curlFor(json),
  };
}
