import type { Db } from './db';
import { stmt } from './statements';
import type { Role } from '@shared/domain';

/** Whom SSO is required for first (migration 95); null = everyone. */
export interface SsoStage {
  roles: Role[];
  /** A SCIM group's display name (case-insensitive): its members need SSO. */
  group: string | null;
}

export function getStage(db: Db, accountId: string): SsoStage | null {
  const r = stmt(db, 'SELECT stage FROM sso_enforcement WHERE account_id = ?').get(accountId) as
    { stage: string | null } | undefined;
  return r?.stage ? (JSON.parse(r.stage) as SsoStage) : null;
}

export function setStage(db: Db, accountId: string, stage: SsoStage | null): void {
  stmt(db, 'INSERT INTO sso_enforcement (account_id) VALUES (?) ON CONFLICT(account_id) DO NOTHING').run(accountId);
  stmt(db, 'UPDATE sso_enforcement SET stage = ? WHERE account_id = ?').run(
    stage === null ? null : JSON.stringify(stage),
    accountId,
  );
}

/** The users of an account in a SCIM group, by the group's display name (case-insensitive). */
export function usersInScimGroup(db: Db, accountId: string, group: string): Set<number> {
  const rows = stmt(
    db,
    `SELECT u.user_id AS userId FROM scim_groups g
       JOIN scim_group_members gm ON gm.group_seq = g.seq
       JOIN scim_users u ON u.seq = gm.user_seq
      WHERE g.account_id = ? AND g.display_name = ?`,
  ).all(accountId, group) as Array<{ userId: number }>;
  return new Set(rows.map((r) => r.userId));
}

/** The display names of an account's SCIM groups, for choosing a stage. */
export function scimGroupNames(db: Db, accountId: string): string[] {
  return (
    stmt(db, 'SELECT display_name AS name FROM scim_groups WHERE account_id = ? ORDER BY display_name').all(
      accountId,
    ) as Array<{ name: string }>
  ).map((r) => r.name);
}
