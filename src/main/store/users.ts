import type { Db } from './db';
import { stmt } from './statements';

export interface UserRow {
  id: number;
  email: string;
  name: string;
  externalId: string | null;
  passwordHash: string | null;
  emailVerified: boolean;
}

interface RawUser {
  id: number;
  email: string;
  name: string;
  external_id: string | null;
  password_hash: string | null;
  email_verified: number;
}

const fromRaw = (r: RawUser): UserRow => ({
  id: r.id,
  email: r.email,
  name: r.name,
  externalId: r.external_id,
  passwordHash: r.password_hash,
  emailVerified: r.email_verified === 1,
});

/** Lookup is case-insensitive: the column is COLLATE NOCASE. */
export function findUserByEmail(db: Db, email: string): UserRow | undefined {
  const r = stmt(db, 'SELECT * FROM users WHERE email = ?').get(email.trim()) as RawUser | undefined;
  return r && fromRaw(r);
}

export function getUser(db: Db, id: number): UserRow | undefined {
  const r = stmt(db, 'SELECT * FROM users WHERE id = ?').get(id) as RawUser | undefined;
  return r && fromRaw(r);
}

export function insertUser(db: Db, u: Omit<UserRow, 'id'>, now: number): number {
  const info = db
    .prepare(
      'INSERT INTO users (email, name, external_id, password_hash, email_verified, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .run(u.email, u.name, u.externalId, u.passwordHash, u.emailVerified ? 1 : 0, now);
  return Number(info.lastInsertRowid);
}

export function updateUser(db: Db, id: number, u: Omit<UserRow, 'id' | 'email'>): void {
  stmt(db, 'UPDATE users SET name = ?, external_id = ?, password_hash = ?, email_verified = ? WHERE id = ?').run(
    u.name,
    u.externalId,
    u.passwordHash,
    u.emailVerified ? 1 : 0,
    id,
  );
}

export function setUserEmail(db: Db, id: number, email: string): void {
  stmt(db, 'UPDATE users SET email = ? WHERE id = ?').run(email, id);
}

export function setUserNameAndExternalId(db: Db, id: number, name: string | null, externalId: string | null): void {
  stmt(db, 'UPDATE users SET name = ?, external_id = ? WHERE id = ?').run(name, externalId, id);
}

export function setPasswordHash(db: Db, id: number, hash: string): void {
  stmt(db, 'UPDATE users SET password_hash = ? WHERE id = ?').run(hash, id);
}

/** Every user, by email. */
export function listUsers(db: Db): UserRow[] {
  return (stmt(db, 'SELECT * FROM users ORDER BY email').all() as RawUser[]).map(fromRaw);
}

/** Deletes a user; memberships, team places and sessions go with it (ON DELETE CASCADE). */
export function deleteUser(db: Db, id: number): void {
  stmt(db, 'DELETE FROM users WHERE id = ?').run(id);
}
