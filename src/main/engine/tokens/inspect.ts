import type { EngineContext } from '../context';
import { appendAudit } from '../../store/audit';
import { countSessionsOfToken, endSessionsOfToken, revokeToken } from '../../store/sso-tokens';
import { invalidInput } from '@shared/errors';
import type { TeamLevel } from '@shared/domain';
import { fingerprint } from './lifetime';
import { resolveToken } from './resolve';
import { tokenFromInput } from './resolve';

export interface TokenInspection {
  fingerprint: string;
  status: 'active' | 'expired' | 'revoked' | 'unknown';
  now: number;
  scope: 'sso' | 'integration' | null;
  account: { id: string; name: string; embeddable: boolean } | null;
  bot: { id: string; name: string } | null;
  user: { email: string; name: string } | null;
  standing: { kind: 'owner' } | { kind: 'team'; level: TeamLevel } | null;
  issuedAt: number | null;
  expiresAt: number | null;
  revokedAt: number | null;
  home: string | null;
  logout: string | null;
  sessions: { total: number; open: number };
  sections: Array<{ id: string; label: string; minLevel: TeamLevel; allowed: boolean; url: string | null }>;
}

function parse(input: string): string {
  const token = tokenFromInput(input);
  if (!token) throw invalidInput('input', 'paste a Home URL (…/auth/sso/<token>) or the token itself');
  return token;
}

/** What the console's Inspector shows for a pasted Home URL or token. Read-only. */
export function inspectToken(ctx: EngineContext, input: string): TokenInspection {
  const token = parse(input);
  const r = resolveToken(ctx, token);
  const now = ctx.clock.now();
  if (r.state === 'unknown') {
    return {
      fingerprint: fingerprint(r.hash),
      status: 'unknown',
      now,
      scope: null,
      account: null,
      bot: null,
      user: null,
      standing: null,
      issuedAt: null,
      expiresAt: null,
      revokedAt: null,
      home: null,
      logout: null,
      sessions: { total: 0, open: 0 },
      sections: [],
    };
  }
  const base = ctx.urls.api && r.row.scope === 'sso' ? `${ctx.urls.api}/auth/sso/${token}` : null;
  return {
    fingerprint: fingerprint(r.hash),
    status: r.state,
    now,
    scope: r.row.scope,
    account: { id: r.account.id, name: r.account.name, embeddable: r.account.embeddable },
    bot: r.bot ? { id: r.bot.id, name: r.bot.name } : null,
    user: r.user ? { email: r.user.email, name: r.user.name } : null,
    standing: r.standing,
    issuedAt: r.row.issuedAt,
    expiresAt: r.row.expiresAt,
    revokedAt: r.row.revokedAt,
    home: base,
    logout: base && `${base}/logout`,
    sessions: countSessionsOfToken(ctx.store.db, r.row.id),
    sections:
      r.row.scope === 'sso'
        ? r.sections.map((s) => ({
            id: s.id,
            label: s.label,
            minLevel: s.minLevel,
            allowed: s.allowed,
            url: base && (s.id === 'home' ? base : `${base}/${s.id}`),
          }))
        : [],
  };
}

/** Revokes a token from the console (and ends its sessions), then shows it again. */
export function revokeFromConsole(ctx: EngineContext, input: string): TokenInspection {
  const token = parse(input);
  const r = resolveToken(ctx, token);
  if (r.state !== 'unknown' && r.row.revokedAt === null) {
    const { db } = ctx.store;
    const now = ctx.clock.now();
    db.transaction(() => {
      revokeToken(db, r.row.id, now);
      const ended = endSessionsOfToken(db, r.row.id, now);
      appendAudit(db, {
        at: now,
        kind: 'sso.token.revoke',
        accountId: r.account.id,
        email: r.user?.email ?? null,
        actor: 'console',
        method: 'platform-sso',
        outcome: 'ok',
        reason: `revoked from the Inspector${ended ? `; ${ended} session(s) ended` : ''}`,
        detail: { token: fingerprint(r.hash) },
      });
    })();
  }
  return inspectToken(ctx, token);
}
