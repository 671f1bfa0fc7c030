import type { Db } from './db';
import { stmt } from './statements';
import type { TeamLevel } from '@shared/domain';

/** An account's SCIM switch and token (only the token's SHA-256 and last four characters). */
export interface ScimConfigRow {
  accountId: string;
  enabled: boolean;
  tokenHash: string | null;
  tokenLast4: string | null;
  tokenCreatedAt: number | null;
  updatedAt: number;
}

interface RawConfig {
  account_id: string;
  enabled: number;
  token_hash: string | null;
  token_last4: string | null;
  token_created_at: number | null;
  updated_at: number;
}

const configFromRaw = (r: RawConfig): ScimConfigRow => ({
  accountId: r.account_id,
  enabled: r.enabled === 1,
  tokenHash: r.token_hash,
  tokenLast4: r.token_last4,
  tokenCreatedAt: r.token_created_at,
  updatedAt: r.updated_at,
});

export function getScimConfig(db: Db, accountId: string): ScimConfigRow | undefined {
  const r = stmt(db, 'SELECT * FROM scim_config WHERE account_id = ?').get(accountId) as RawConfig | undefined;
  return r && configFromRaw(r);
}

/** The config whose token hashes to `hash`; the caller compares again in constant time. */
export function findScimConfigByHash(db: Db, hash: string): ScimConfigRow | undefined {
  const r = stmt(db, 'SELECT * FROM scim_config WHERE token_hash = ?').get(hash) as RawConfig | undefined;
  return r && configFromRaw(r);
}

export function putScimConfig(db: Db, c: ScimConfigRow): void {
  stmt(
    db,
    `INSERT INTO scim_config (account_id, enabled, token_hash, token_last4, token_created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (account_id) DO UPDATE SET enabled = excluded.enabled, token_hash = excluded.token_hash,
       token_last4 = excluded.token_last4, token_created_at = excluded.token_created_at, updated_at = excluded.updated_at`,
  ).run(c.accountId, c.enabled ? 1 : 0, c.tokenHash, c.tokenLast4, c.tokenCreatedAt, c.updatedAt);
}

/** A provisioned user: the SCIM resource (JSON, without id and meta) of one membership. */
export interface ScimUserRow {
  seq: number;
  id: string;
  accountId: string;
  userId: number;
  userName: string;
  externalId: string | null;
  resource: string;
  createdAt: number;
  updatedAt: number;
  status: 'active' | 'deactivated';
}

// The membership's status rides along: SCIM's `active` is the membership's status, whoever changed it.
const USER_COLUMNS = `su.seq, su.id, su.account_id AS accountId, su.user_id AS userId, su.user_name AS userName,
  su.external_id AS externalId, su.resource, su.created_at AS createdAt, su.updated_at AS updatedAt,
  coalesce(m.status, 'deactivated') AS status`;
const USERS = `scim_users su LEFT JOIN memberships m ON m.account_id = su.account_id AND m.user_id = su.user_id`;

export function insertScimUser(db: Db, u: Omit<ScimUserRow, 'seq' | 'status'>): number {
  const info = stmt(
    db,
    `INSERT INTO scim_users (id, account_id, user_id, user_name, external_id, resource, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(u.id, u.accountId, u.userId, u.userName, u.externalId, u.resource, u.createdAt, u.updatedAt);
  return Number(info.lastInsertRowid);
}

export function updateScimUser(
  db: Db,
  seq: number,
  u: Pick<ScimUserRow, 'userName' | 'externalId' | 'resource' | 'updatedAt'>,
): void {
  stmt(db, 'UPDATE scim_users SET user_name = ?, external_id = ?, resource = ?, updated_at = ? WHERE seq = ?').run(
    u.userName,
    u.externalId,
    u.resource,
    u.updatedAt,
    seq,
  );
}

export function getScimUser(db: Db, accountId: string, id: string): ScimUserRow | undefined {
  return stmt(db, `SELECT ${USER_COLUMNS} FROM ${USERS} WHERE su.id = ? AND su.account_id = ?`).get(id, accountId) as
    ScimUserRow | undefined;
}

export function getScimUserByMembership(db: Db, accountId: string, userId: number): ScimUserRow | undefined {
  return stmt(db, `SELECT ${USER_COLUMNS} FROM ${USERS} WHERE su.account_id = ? AND su.user_id = ?`).get(
    accountId,
    userId,
  ) as ScimUserRow | undefined;
}

export function findScimUserByUserName(db: Db, accountId: string, userName: string): ScimUserRow | undefined {
  return stmt(db, `SELECT ${USER_COLUMNS} FROM ${USERS} WHERE su.account_id = ? AND su.user_name = ?`).get(
    accountId,
    userName,
  ) as ScimUserRow | undefined;
}

/** Users whose indexed column equals a value (`userName` case-insensitively), in stable order. */
export function scimUsersWhere(
  db: Db,
  accountId: string,
  column: 'user_name' | 'external_id' | 'id',
  value: string,
): ScimUserRow[] {
  return stmt(
    db,
    `SELECT ${USER_COLUMNS} FROM ${USERS} WHERE su.account_id = ? AND su.${column} = ? ORDER BY su.seq`,
  ).all(accountId, value) as ScimUserRow[];
}

export function countScimUsers(db: Db, accountId: string): number {
  return (stmt(db, 'SELECT count(*) AS n FROM scim_users WHERE account_id = ?').get(accountId) as { n: number }).n;
}

/** One page of an account's users in stable order (`offset` is 0-based); the offset walks the account index only. */
export function pageScimUsers(db: Db, accountId: string, offset: number, limit: number): ScimUserRow[] {
  return stmt(
    db,
    `SELECT ${USER_COLUMNS} FROM ${USERS}
      WHERE su.seq IN (SELECT seq FROM scim_users WHERE account_id = ? ORDER BY seq LIMIT ? OFFSET ?) ORDER BY su.seq`,
  ).all(accountId, limit, offset) as ScimUserRow[];
}

/** Every user of an account, in stable order, one row at a time (for filters no index answers). */
export function iterateScimUsers(db: Db, accountId: string): IterableIterator<ScimUserRow> {
  return stmt(db, `SELECT ${USER_COLUMNS} FROM ${USERS} WHERE su.account_id = ? ORDER BY su.seq`).iterate(
    accountId,
  ) as IterableIterator<ScimUserRow>;
}

export function deleteScimUser(db: Db, seq: number): void {
  stmt(db, 'DELETE FROM scim_users WHERE seq = ?').run(seq);
}

export interface ScimGroupRow {
  seq: number;
  id: string;
  accountId: string;
  displayName: string;
  externalId: string | null;
  resource: string;
  createdAt: number;
  updatedAt: number;
}

const GROUP_COLUMNS = `seq, id, account_id AS accountId, display_name AS displayName, external_id AS externalId,
  resource, created_at AS createdAt, updated_at AS updatedAt`;

export function insertScimGroup(db: Db, g: Omit<ScimGroupRow, 'seq'>): number {
  const info = stmt(
    db,
    `INSERT INTO scim_groups (id, account_id, display_name, external_id, resource, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(g.id, g.accountId, g.displayName, g.externalId, g.resource, g.createdAt, g.updatedAt);
  return Number(info.lastInsertRowid);
}

export function updateScimGroup(
  db: Db,
  seq: number,
  g: Pick<ScimGroupRow, 'displayName' | 'externalId' | 'resource' | 'updatedAt'>,
): void {
  stmt(db, 'UPDATE scim_groups SET display_name = ?, external_id = ?, resource = ?, updated_at = ? WHERE seq = ?').run(
    g.displayName,
    g.externalId,
    g.resource,
    g.updatedAt,
    seq,
  );
}

export function getScimGroup(db: Db, accountId: string, id: string): ScimGroupRow | undefined {
  return stmt(db, `SELECT ${GROUP_COLUMNS} FROM scim_groups WHERE id = ? AND account_id = ?`).get(id, accountId) as
    ScimGroupRow | undefined;
}

export function listScimGroups(db: Db, accountId: string): ScimGroupRow[] {
  return stmt(db, `SELECT ${GROUP_COLUMNS} FROM scim_groups WHERE account_id = ? ORDER BY seq`).all(
    accountId,
  ) as ScimGroupRow[];
}

export function findScimGroupByName(db: Db, accountId: string, name: string): ScimGroupRow | undefined {
  return stmt(db, `SELECT ${GROUP_COLUMNS} FROM scim_groups WHERE account_id = ? AND display_name = ?`).get(
    accountId,
    name,
  ) as ScimGroupRow | undefined;
}

export function deleteScimGroup(db: Db, seq: number): void {
  stmt(db, 'DELETE FROM scim_groups WHERE seq = ?').run(seq);
}

/** The members of a group: SCIM id, userName and the user behind them, in stable order. */
export function groupMembers(
  db: Db,
  groupSeq: number,
): Array<{ seq: number; id: string; userName: string; userId: number }> {
  return stmt(
    db,
    `SELECT u.seq, u.id, u.user_name AS userName, u.user_id AS userId FROM scim_group_members gm
       JOIN scim_users u ON u.seq = gm.user_seq WHERE gm.group_seq = ? ORDER BY u.seq`,
  ).all(groupSeq) as Array<{ seq: number; id: string; userName: string; userId: number }>;
}

export function countGroupMembers(db: Db, groupSeq: number): number {
  return (stmt(db, 'SELECT count(*) AS n FROM scim_group_members WHERE group_seq = ?').get(groupSeq) as { n: number })
    .n;
}

export function addGroupMember(db: Db, groupSeq: number, userSeq: number): boolean {
  return (
    stmt(db, 'INSERT OR IGNORE INTO scim_group_members (group_seq, user_seq) VALUES (?, ?)').run(groupSeq, userSeq)
      .changes > 0
  );
}

export function removeGroupMember(db: Db, groupSeq: number, userSeq: number): boolean {
  return (
    stmt(db, 'DELETE FROM scim_group_members WHERE group_seq = ? AND user_seq = ?').run(groupSeq, userSeq).changes > 0
  );
}

/** The groups a provisioned user is in (by user seq). */
export function groupsOfUser(db: Db, userSeq: number): Array<{ id: string; displayName: string }> {
  return stmt(
    db,
    `SELECT g.id, g.display_name AS displayName FROM scim_group_members gm JOIN scim_groups g ON g.seq = gm.group_seq
      WHERE gm.user_seq = ? ORDER BY g.seq`,
  ).all(userSeq) as Array<{ id: string; displayName: string }>;
}

export interface GroupTeamRow {
  accountId: string;
  groupName: string;
  botId: string;
  level: TeamLevel;
  createdAt: number;
}

export function listGroupTeams(db: Db, accountId: string): GroupTeamRow[] {
  return stmt(
    db,
    `SELECT account_id AS accountId, group_name AS groupName, bot_id AS botId, level, created_at AS createdAt
       FROM scim_group_teams WHERE account_id = ? ORDER BY group_name, bot_id`,
  ).all(accountId) as GroupTeamRow[];
}

export function putGroupTeam(db: Db, m: GroupTeamRow): void {
  stmt(
    db,
    `INSERT INTO scim_group_teams (account_id, group_name, bot_id, level, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (account_id, group_name, bot_id) DO UPDATE SET level = excluded.level`,
  ).run(m.accountId, m.groupName, m.botId, m.level, m.createdAt);
}

export function deleteGroupTeam(db: Db, accountId: string, groupName: string, botId: string): boolean {
  return (
    stmt(db, 'DELETE FROM scim_group_teams WHERE account_id = ? AND group_name = ? AND bot_id = ?').run(
      accountId,
      groupName,
      botId,
    ).changes > 0
  );
}

export function renameGroupTeams(db: Db, accountId: string, from: string, to: string): void {
  stmt(db, 'UPDATE scim_group_teams SET group_name = ? WHERE account_id = ? AND group_name = ?').run(
    to,
    accountId,
    from,
  );
}

/**
 * The team level each user should have on `botId` from the mapped groups they are in (the highest
 * wins). Users absent from the answer should have no level made by provisioning.
 */
export function desiredLevels(db: Db, accountId: string, botId: string): Map<number, TeamLevel> {
  const rows = stmt(
    db,
    `SELECT u.user_id AS userId,
            max(CASE t.level WHEN 'admin' THEN 4 WHEN 'editor' THEN 3 WHEN 'operator' THEN 2 ELSE 1 END) AS rank
       FROM scim_group_teams t
       JOIN scim_groups g ON g.account_id = t.account_id AND g.display_name = t.group_name
       JOIN scim_group_members gm ON gm.group_seq = g.seq
       JOIN scim_users u ON u.seq = gm.user_seq
      WHERE t.account_id = ? AND t.bot_id = ?
      GROUP BY u.user_id`,
  ).all(accountId, botId) as Array<{ userId: number; rank: number }>;
  const byRank: TeamLevel[] = ['viewer', 'viewer', 'operator', 'editor', 'admin'];
  return new Map(rows.map((r) => [r.userId, byRank[r.rank]!]));
}

/** The users whose place on a bot's team provisioning made. */
export function grantsOfBot(db: Db, botId: string): number[] {
  return (
    stmt(db, 'SELECT user_id AS userId FROM scim_team_grants WHERE bot_id = ?').all(botId) as Array<{ userId: number }>
  ).map((r) => r.userId);
}

export function isGrant(db: Db, botId: string, userId: number): boolean {
  return stmt(db, 'SELECT 1 FROM scim_team_grants WHERE bot_id = ? AND user_id = ?').get(botId, userId) !== undefined;
}

export function addGrant(db: Db, botId: string, userId: number): void {
  stmt(db, 'INSERT OR IGNORE INTO scim_team_grants (bot_id, user_id) VALUES (?, ?)').run(botId, userId);
}

export function removeGrant(db: Db, botId: string, userId: number): void {
  stmt(db, 'DELETE FROM scim_team_grants WHERE bot_id = ? AND user_id = ?').run(botId, userId);
}

export function countMemberships(db: Db, userId: number): number {
  return (stmt(db, 'SELECT count(*) AS n FROM memberships WHERE user_id = ?').get(userId) as { n: number }).n;
}

/** Marks a membership as provisioned (keeps the first provisioning time and an existing role). */
export function markProvisioned(db: Db, accountId: string, userId: number, by: string, now: number): void {
  stmt(
    db,
    `UPDATE memberships SET source = 'scim', provisioned_by = ?, provisioned_at = coalesce(provisioned_at, ?)
      WHERE account_id = ? AND user_id = ?`,
  ).run(by, now, accountId, userId);
}

/** Whether this user is already provisioned in this account (under any userName). */
export function isProvisioned(db: Db, accountId: string, userId: number): boolean {
  return stmt(db, 'SELECT 1 FROM scim_users WHERE account_id = ? AND user_id = ?').get(accountId, userId) !== undefined;
}

/** The seq of each provisioned user id of this account, in one statement per 500 ids. */
export function scimUserSeqs(db: Db, accountId: string, ids: string[]): Map<string, number> {
  const out = new Map<string, number>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    const rows = db
      .prepare(`SELECT id, seq FROM scim_users WHERE account_id = ? AND id IN (${chunk.map(() => '?').join(',')})`)
      .all(accountId, ...chunk) as Array<{ id: string; seq: number }>;
    for (const r of rows) out.set(r.id, r.seq);
  }
  return out;
}

/** Marks a group changed (its `meta.lastModified`) after a change to its members alone. */
export function touchScimGroup(db: Db, seq: number, at: number): void {
  stmt(db, 'UPDATE scim_groups SET updated_at = ? WHERE seq = ?').run(at, seq);
}

/** How many users are provisioned in an account, and how many of them are deactivated. */
export function provisionedCounts(db: Db, accountId: string): { users: number; deactivated: number } {
  return stmt(
    db,
    `SELECT count(*) AS users, coalesce(sum(m.status = 'deactivated'), 0) AS deactivated FROM scim_users su
       LEFT JOIN memberships m ON m.account_id = su.account_id AND m.user_id = su.user_id WHERE su.account_id = ?`,
  ).get(accountId) as { users: number; deactivated: number };
}
