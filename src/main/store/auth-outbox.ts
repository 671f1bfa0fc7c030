import type { Db } from './db';

/** The offline mailbox: messages the local reset flow sends. The text is ciphertext (it carries a token). */
export interface OutboxRow {
  id: number;
  at: number;
  toEmail: string;
  subject: string;
  textEnc: string;
}

/** Messages kept per recipient, and in all: the offline mailbox is a demo aid, not an archive. */
export const OUTBOX_PER_RECIPIENT = 5;
export const OUTBOX_TOTAL = 200;

/** Adds a message and drops the oldest beyond OUTBOX_PER_RECIPIENT for its recipient and OUTBOX_TOTAL in all. */
export function insertOutbox(db: Db, m: Omit<OutboxRow, 'id'>): number {
  return db.transaction(() => {
    const info = db
      .prepare('INSERT INTO auth_outbox (at, to_email, subject, text_enc) VALUES (?, ?, ?, ?)')
      .run(m.at, m.toEmail, m.subject, m.textEnc);
    db.prepare(
      `DELETE FROM auth_outbox WHERE to_email = ? AND id NOT IN
         (SELECT id FROM auth_outbox WHERE to_email = ? ORDER BY id DESC LIMIT ${OUTBOX_PER_RECIPIENT})`,
    ).run(m.toEmail, m.toEmail);
    db.prepare(
      `DELETE FROM auth_outbox WHERE id NOT IN (SELECT id FROM auth_outbox ORDER BY id DESC LIMIT ${OUTBOX_TOTAL})`,
    ).run();
    return Number(info.lastInsertRowid);
  })();
}

export const countOutbox = (db: Db): number =>
  (db.prepare('SELECT count(*) AS n FROM auth_outbox').get() as { n: number }).n;

export function listOutbox(db: Db, limit: number): OutboxRow[] {
  return db
    .prepare(
      'SELECT id, at, to_email AS toEmail, subject, text_enc AS textEnc FROM auth_outbox ORDER BY at DESC, id DESC LIMIT ?',
    )
    .all(limit) as OutboxRow[];
}
