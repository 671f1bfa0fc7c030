import type { Db } from './db';
import { stmt } from './statements';
import type { PackageName, Plan, Role } from '@shared/domain';

export interface AccountRow {
  id: string;
  name: string;
  plan: Plan;
  packages: PackageName[];
  embeddable: boolean;
  createdAt: number;
}

interface RawAccount {
  id: string;
  name: string;
  plan: Plan;
  packages: string;
  embeddable: number;
  created_at: number;
}

const fromRaw = (r: RawAccount): AccountRow => ({
  id: r.id,
  name: r.name,
  plan: r.plan,
  packages: JSON.parse(r.packages) as PackageName[],
  embeddable: r.embeddable === 1,
  createdAt: r.created_at,
});

export function insertAccount(db: Db, a: Omit<AccountRow, 'createdAt'>, now: number): void {
  stmt(db, 'INSERT INTO accounts (id, name, plan, packages, embeddable, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    a.id,
    a.name,
    a.plan,
    JSON.stringify(a.packages),
    a.embeddable ? 1 : 0,
    now,
  );
}

export function deleteAccount(db: Db, id: string): void {
  stmt(db, 'DELETE FROM accounts WHERE id = ?').run(id);
}

export function getAccount(db: Db, id: string): AccountRow | undefined {
  const r = stmt(db, 'SELECT * FROM accounts WHERE id = ?').get(id) as RawAccount | undefined;
  return r && fromRaw(r);
}

export function listAccounts(db: Db): AccountRow[] {
  return (stmt(db, 'SELECT * FROM accounts ORDER BY name').all() as RawAccount[]).map(fromRaw);
}

export function updateAccountFlags(
  db: Db,
  id: string,
  patch: { packages?: PackageName[]; embeddable?: boolean },
): void {
  if (patch.packages) stmt(db, 'UPDATE accounts SET packages = ? WHERE id = ?').run(JSON.stringify(patch.packages), id);
  if (patch.embeddable !== undefined)
    stmt(db, 'UPDATE accounts SET embeddable = ? WHERE id = ?').run(patch.embeddable ? 1 : 0, id);
}

export type MembershipStatus = 'active' | 'deactivated';

/**
 * One user in one account. The shared model of the console's directory and of SCIM provisioning:
 * `status` is per account (a user deactivated by Okta in one account keeps the others); `statusBy`
 * says who changed it last ('scim:Okta', 'console', …) and `statusAt` when.
 */
export interface MemberRow {
  accountId: string;
  userId: number;
  email: string;
  name: string;
  role: Role;
  status: MembershipStatus;
  statusAt: number | null;
  statusBy: string | null;
  source: 'local' | 'scim';
  provisionedBy: string | null;
  provisionedAt: number | null;
}

const MEMBER_COLUMNS = `m.account_id AS accountId, u.id AS userId, u.email, u.name, m.role, m.status,
  m.status_at AS statusAt, m.status_by AS statusBy, m.source, m.provisioned_by AS provisionedBy,
  m.provisioned_at AS provisionedAt`;

/**
 * A new membership, active unless `state` says otherwise (an import restores a deactivated one as it
 * was). A new row has nothing open to end; changing an existing row's status is engine/access's job.
 */
export function insertMembership(
  db: Db,
  accountId: string,
  userId: number,
  role: Role,
  state?: { status: MembershipStatus; statusBy: string | null; statusAt: number | null },
): void {
  stmt(
    db,
    'INSERT INTO memberships (account_id, user_id, role, status, status_by, status_at) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(accountId, userId, role, state?.status ?? 'active', state?.statusBy ?? null, state?.statusAt ?? null);
}

export function listMembers(db: Db, accountId: string): MemberRow[] {
  return db
    .prepare(
      `SELECT ${MEMBER_COLUMNS}
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.account_id = ? ORDER BY u.email`,
    )
    .all(accountId) as MemberRow[];
}

export function getMembership(db: Db, accountId: string, userId: number): MemberRow | undefined {
  return db
    .prepare(
      `SELECT ${MEMBER_COLUMNS} FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.account_id = ? AND m.user_id = ?`,
    )
    .get(accountId, userId) as MemberRow | undefined;
}

/** Where a membership came from (an import of an export keeps 'scim' and the IdP that provisioned it). */
export function setMembershipOrigin(
  db: Db,
  accountId: string,
  userId: number,
  o: { source: 'local' | 'scim'; provisionedBy: string | null; provisionedAt: number | null },
): void {
  stmt(
    db,
    'UPDATE memberships SET source = ?, provisioned_by = ?, provisioned_at = ? WHERE account_id = ? AND user_id = ?',
  ).run(o.source, o.provisionedBy, o.provisionedAt, accountId, userId);
}

/** The accounts a user belongs to, by email (case-insensitive). */
export function accountsOfEmail(
  db: Db,
  email: string,
): Array<AccountRow & { role: Role; status: MembershipStatus; statusAt: number | null; statusBy: string | null }> {
  const rows = db
    .prepare(
      `SELECT a.*, m.role, m.status, m.status_at AS statusAt, m.status_by AS statusBy FROM accounts a
         JOIN memberships m ON m.account_id = a.id
         JOIN users u ON u.id = m.user_id
        WHERE u.email = ? ORDER BY a.name`,
    )
    .all(email) as Array<
    RawAccount & { role: Role; status: MembershipStatus; statusAt: number | null; statusBy: string | null }
  >;
  return rows.map((r) => ({
    ...fromRaw(r),
    role: r.role,
    status: r.status,
    statusAt: r.statusAt,
    statusBy: r.statusBy,
  }));
}
