import type { EngineContext } from '../context';
import { appendAudit } from '../../store/audit';
import { endSessionsOfToken, findSessionByHash, insertSession, revokeToken } from '../../store/sso-tokens';
import { findSection, describeStanding, type BotStanding, type SectionDef } from '@shared/sections';
import { LEVEL_RANK } from '@shared/sections';
import { randomToken, sha256 } from '../crypto/hash';
import { fingerprint } from './lifetime';
import { resolveToken } from './resolve';

/** What a deep-link page shows: who is signed in, to which bot of which account. */
export interface LandingView {
  account: { id: string; name: string; embeddable: boolean };
  bot: { id: string; name: string };
  user: { email: string; name: string };
  standing: BotStanding;
  /** `/auth/sso/<token>`: the page links sections relative to it. */
  basePath: string;
  issuedAt: number;
  expiresAt: number;
  sections: Array<SectionDef & { allowed: boolean }>;
}

export type DeepLinkOutcome =
  | {
      kind: 'refused';
      status: 401;
      reason: 'unknown' | 'expired' | 'revoked' | 'wrong_scope';
      message: string;
      at: number | null;
    }
  | { kind: 'no_section'; status: 404; message: string }
  | { kind: 'not_on_team'; status: 403; message: string }
  | { kind: 'forbidden'; status: 403; view: LandingView; section: SectionDef; message: string }
  | {
      kind: 'landed';
      status: 200;
      view: LandingView;
      section: SectionDef;
      session: { resumed: boolean; startedAt: number; expiresAt: number; cookie: string | null };
    }
  | { kind: 'logged_out'; status: 200; view: LandingView; sessionsEnded: number };

export const SESSION_COOKIE = 'sso_desk_session';

const REFUSALS = {
  // Expired tokens are deleted in the background soon after they expire (src/main/store/prune.ts), so an
  // old link reads as unknown: the sentence names that case too.
  unknown:
    'This sign-in link is not known: it was mistyped, or it expired (links work for 60 minutes) and is gone. Ask for a new one.',
  expired: 'This sign-in link has expired: links work for 60 minutes after they are issued. Ask for a new one.',
  revoked: 'This sign-in link was revoked (signed out or revoked by an admin). Ask for a new one.',
  wrong_scope:
    'This is an integration API token, not a sign-in link: only tokens from POST /authorization/sso open a workspace.',
} as const;

/**
 * Opens `/auth/sso/<token>[/<section>]` or `/auth/sso/<token>/logout` (DESIGN.md "Platform SSO tokens").
 * Signing in creates a server-side session whose id rides in an http-only, SameSite=Strict cookie;
 * a request that brings the cookie of a live session of the same token resumes it instead.
 * Team levels are checked now, not as they were when the token was issued.
 * Every call is an audit event; the token appears only as its fingerprint.
 */
export function openDeepLink(
  ctx: EngineContext,
  req: { token: string; section: string | null; sessionCookie: string | null },
): DeepLinkOutcome {
  const { db } = ctx.store;
  const now = ctx.clock.now();
  const r = resolveToken(ctx, req.token);
  const logout = req.section === 'logout';
  const kind = logout ? 'sso.logout' : 'sso.token.redeem';
  const audit = (outcome: string, reason: string, extra: Record<string, unknown> = {}) =>
    appendAudit(db, {
      at: now,
      kind,
      accountId: r.state === 'unknown' ? null : r.account.id,
      email: r.state === 'unknown' ? null : (r.user?.email ?? null),
      actor: 'browser',
      method: 'platform-sso',
      outcome,
      reason,
      detail: { token: fingerprint(r.hash), section: req.section ?? 'home', ...extra },
    });

  if (r.state !== 'active') {
    const reason = r.state;
    audit('refused', REFUSALS[reason], { code: reason });
    const at = r.state === 'revoked' ? r.row.revokedAt : r.state === 'expired' ? r.row.expiresAt : null;
    return { kind: 'refused', status: 401, reason, message: REFUSALS[reason], at };
  }
  if (r.row.scope !== 'sso') {
    audit('refused', REFUSALS.wrong_scope, { code: 'wrong_scope' });
    return { kind: 'refused', status: 401, reason: 'wrong_scope', message: REFUSALS.wrong_scope, at: null };
  }
  if (!r.bot || !r.user || !r.standing) {
    const message =
      `${r.user?.email ?? 'This user'} is no longer the owner of ${r.bot?.name ?? 'this bot'} ` +
      `nor on its team, so this link no longer signs in.`;
    audit('refused', message, { code: 'not_on_team' });
    return { kind: 'not_on_team', status: 403, message };
  }
  const view: LandingView = {
    account: { id: r.account.id, name: r.account.name, embeddable: r.account.embeddable },
    bot: { id: r.bot.id, name: r.bot.name },
    user: { email: r.user.email, name: r.user.name },
    standing: r.standing,
    basePath: `/auth/sso/${req.token}`,
    issuedAt: r.row.issuedAt,
    expiresAt: r.row.expiresAt,
    sections: r.sections,
  };

  if (logout) {
    const sessionsEnded = db.transaction(() => {
      revokeToken(db, r.row.id, now);
      const n = endSessionsOfToken(db, r.row.id, now);
      audit('ok', `signed out of ${r.bot!.name}; token revoked`, { sessionsEnded: n });
      return n;
    })();
    return { kind: 'logged_out', status: 200, view, sessionsEnded };
  }

  const section = findSection(req.section ?? 'home');
  if (!section) {
    const message = `There is no section "${req.section}" in a bot's workspace.`;
    audit('refused', message, { code: 'no_section' });
    return { kind: 'no_section', status: 404, message };
  }
  if (!r.sections.find((s) => s.id === section.id)?.allowed) {
    const standing = r.standing.kind === 'team' ? r.standing.level : 'owner';
    const message =
      `${section.label} needs team level ${section.minLevel} or higher` +
      (section.minLevel === 'admin' ? '' : ` (${higherLevels(section.minLevel)})`) +
      ` or being the bot's owner; ${r.user.email} is ${standing} on the team of ${r.bot.name}.`;
    audit('refused', message, { code: 'forbidden' });
    return { kind: 'forbidden', status: 403, view, section, message };
  }

  const existing = req.sessionCookie ? findSessionByHash(db, sha256(req.sessionCookie)) : undefined;
  const live = existing && existing.tokenId === r.row.id && existing.endedAt === null && existing.expiresAt > now;
  let session: { resumed: boolean; startedAt: number; expiresAt: number; cookie: string | null };
  if (live) {
    session = { resumed: true, startedAt: existing.createdAt, expiresAt: existing.expiresAt, cookie: null };
  } else {
    const cookie = randomToken(32);
    insertSession(db, { hash: sha256(cookie), tokenId: r.row.id, createdAt: now, expiresAt: r.row.expiresAt });
    session = { resumed: false, startedAt: now, expiresAt: r.row.expiresAt, cookie };
  }
  audit('ok', `${r.user.email} on ${r.bot.name} › ${section.label} as ${describeStanding(r.standing)}`, {
    resumed: session.resumed,
  });
  return { kind: 'landed', status: 200, view, section, session };
}

const higherLevels = (min: keyof typeof LEVEL_RANK): string =>
  (Object.keys(LEVEL_RANK) as Array<keyof typeof LEVEL_RANK>)
    .filter((l) => LEVEL_RANK[l] >= LEVEL_RANK[min])
    .sort((a, b) => LEVEL_RANK[b] - LEVEL_RANK[a])
    .join(', ');
