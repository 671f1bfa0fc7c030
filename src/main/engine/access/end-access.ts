import type { Db } from '../../store/db';
import { appendAudit } from '../../store/audit';
import { endDeepLinks, endMemberSessions, writeMembershipStatus, type Ended } from '../../store/access';
import type { SettingChange } from '../audit/settings-diff';

/**
 * The one way a member's access ends, whatever asked for it: the console (deactivate, remove a
 * membership, delete a user, take someone off a bot's team, a plan or package change that takes SSO
 * Login away) and provisioning (SCIM PATCH `active:false`, PUT, DELETE). In one transaction it makes
 * the change, ends what is open (login sessions, "Sign in with SSO" sessions, unexpired deep links and
 * the pages they opened) and writes one audit event naming who did it and what was ended. Two paths
 * that each ended "their" part is how a deactivated member kept a session; there is one path now.
 */
export interface AccessEnd {
  db: Db;
  now: number;
  /** Who did it, as the audit names them: 'console', 'scim:Okta', 'api'. */
  actor: string;
  /** The audit's method column: 'directory', 'scim', 'platform-sso'. */
  method: string;
  /** The account whose access ends; null with `scope: 'user'` = every account of the user. */
  accountId: string | null;
  /**
   * What ends: `member` = everything the user has open in the account; `bot` = the user's deep links
   * into one bot; `deep-link` = one deep link (revoked on the user page); `account-deep-links` = every
   * deep link into the account (SSO Login went away).
   */
  scope:
    | { kind: 'member'; userId: number; email: string; deactivate?: boolean }
    | { kind: 'bot'; userId: number; email: string; botId: string }
    | { kind: 'deep-link'; userId: number; email: string; tokenId: number }
    | { kind: 'account-deep-links' };
  /** The audit event's kind and sentence (the ended counts are appended to it). */
  audit: { kind: string; reason: string; changes?: SettingChange[] };
  /** The change that ends the access (delete the membership, the user, the team place…), same transaction. */
  change?: () => void;
}

const NONE: Ended = { sessions: 0, ssoSessions: 0, tokens: 0, deepLinkSessions: 0 };

/** "ended 1 login session and 2 deep links" — or nothing when nothing was open. */
export function describeEnded(e: Ended): string {
  const parts = [
    [e.sessions, 'login session'],
    [e.ssoSessions, 'SSO session'],
    [e.tokens, 'deep link'],
    [e.deepLinkSessions, 'deep-link page session'],
  ] as const;
  const said = parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}${n === 1 ? '' : 's'}`);
  return said.length === 0 ? '' : `ended ${said.join(', ')}`;
}

export function endMemberAccess(e: AccessEnd): Ended {
  return e.db.transaction(() => {
    const s = e.scope;
    let ended = NONE;
    if (s.kind === 'member') {
      if (s.deactivate && e.accountId !== null)
        writeMembershipStatus(e.db, e.accountId, s.userId, 'deactivated', e.actor, e.now);
      ended = endMemberSessions(e.db, e.accountId, s.userId, e.now);
    } else if (s.kind === 'bot') {
      ended = { ...NONE, ...endDeepLinks(e.db, { accountId: e.accountId, userId: s.userId, botId: s.botId }, e.now) };
    } else if (s.kind === 'deep-link') {
      const where = { accountId: e.accountId, userId: s.userId, botId: null, tokenId: s.tokenId };
      ended = { ...NONE, ...endDeepLinks(e.db, where, e.now) };
    } else {
      ended = { ...NONE, ...endDeepLinks(e.db, { accountId: e.accountId, userId: null, botId: null }, e.now) };
    }
    // The change runs after the revocations: a deleted user's rows would otherwise cascade away uncounted.
    e.change?.();
    const said = describeEnded(ended);
    appendAudit(e.db, {
      at: e.now,
      kind: e.audit.kind,
      actor: e.actor,
      method: e.method,
      outcome: 'ok',
      accountId: e.accountId,
      email: s.kind === 'account-deep-links' ? null : s.email,
      reason: said ? `${e.audit.reason}; ${said}` : e.audit.reason,
      detail: { changes: e.audit.changes ?? [], ended },
    });
    return ended;
  })();
}

/**
 * Gives a deactivated membership its access back (nothing was kept open to restore: the member signs
 * in again). The other writer of `memberships.status`, kept beside the one that takes it away.
 */
export function reactivateMember(e: {
  db: Db;
  now: number;
  actor: string;
  method: string;
  accountId: string;
  userId: number;
  email: string;
  audit: { kind: string; reason: string; changes?: SettingChange[] };
}): void {
  e.db.transaction(() => {
    writeMembershipStatus(e.db, e.accountId, e.userId, 'active', e.actor, e.now);
    appendAudit(e.db, {
      at: e.now,
      kind: e.audit.kind,
      actor: e.actor,
      method: e.method,
      outcome: 'ok',
      accountId: e.accountId,
      email: e.email,
      reason: e.audit.reason,
      detail: { changes: e.audit.changes ?? [] },
    });
  })();
}
