import type { Db } from './db';

/** The offline mailbox: messages the local reset flow sends. The text is ciphertext (it carries a token). */
export interface OutboxRow {
  id: number;
  at: number;
  toEmail: string;
  subject: string;
  textEnc: string;
}

export function insertOutbox(db: Db, m: Omit<OutboxRow, 'id'>): number {
  const info = db.prepare('INSERT INTO auth_outbox (at, to_email, subject, text_enc) VALUES (?, ?, ?, ?)').run(m.at, m.toEmail, m.subject, m.textEnc);
  return Number(info.lastInsertRowid);
}

export function listOutbox(db: Db, limit: number): OutboxRow[] {
  return db
    .prepare('SELECT id, at, to_email AS toEmail, subject, text_enc AS textEnc FROM auth_outbox ORDER BY at DESC, id DESC LIMIT ?')
    .all(limit) as OutboxRow[];
}
