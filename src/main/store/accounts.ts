import type { Db } from './db';
import type { PackageName, Plan, Role } from '../../shared/domain';

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
  db.prepare('INSERT INTO accounts (id, name, plan, packages, embeddable, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    a.id,
    a.name,
    a.plan,
    JSON.stringify(a.packages),
    a.embeddable ? 1 : 0,
    now,
  );
}

export function deleteAccount(db: Db, id: string): void {
  db.prepare('DELETE FROM accounts WHERE id = ?').run(id);
}

export function getAccount(db: Db, id: string): AccountRow | undefined {
  const r = db.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as RawAccount | undefined;
  return r && fromRaw(r);
}

export function listAccounts(db: Db): AccountRow[] {
  return (db.prepare('SELECT * FROM accounts ORDER BY name').all() as RawAccount[]).map(fromRaw);
}

export function updateAccountFlags(db: Db, id: string, patch: { packages?: PackageName[]; embeddable?: boolean }): void {
  if (patch.packages) db.prepare('UPDATE accounts SET packages = ? WHERE id = ?').run(JSON.stringify(patch.packages), id);
  if (patch.embeddable !== undefined) db.prepare('UPDATE accounts SET embeddable = ? WHERE id = ?').run(patch.embeddable ? 1 : 0, id);
}

export interface MemberRow {
  accountId: string;
  userId: number;
  email: string;
  name: string;
  role: Role;
}

export function insertMembership(db: Db, accountId: string, userId: number, role: Role): void {
  db.prepare('INSERT INTO memberships (account_id, user_id, role) VALUES (?, ?, ?)').run(accountId, userId, role);
}

export function listMembers(db: Db, accountId: string): MemberRow[] {
  return db
    .prepare(
      `SELECT m.account_id AS accountId, u.id AS userId, u.email, u.name, m.role
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.account_id = ? ORDER BY u.email`,
    )
    .all(accountId) as MemberRow[];
}

/** The accounts a user belongs to, by email (case-insensitive). */
export function accountsOfEmail(db: Db, email: string): Array<AccountRow & { role: Role }> {
  const rows = db
    .prepare(
      `SELECT a.*, m.role FROM accounts a
         JOIN memberships m ON m.account_id = a.id
         JOIN users u ON u.id = m.user_id
        WHERE u.email = ? ORDER BY a.name`,
    )
    .all(email) as Array<RawAccount & { role: Role }>;
  return rows.map((r) => ({ ...fromRaw(r), role: r.role }));
}
