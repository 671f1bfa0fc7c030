import type { Db } from './db';

export interface DemoCredentialRow {
  label: string;
  accountId: string;
  botId: string | null;
  kind: 'AccountAPIKey' | 'BotAPIKey' | 'BotAPISecret' | 'password';
  valueEnc: string;
}

export function insertDemoCredential(db: Db, c: DemoCredentialRow): void {
  db.prepare('INSERT INTO demo_credentials (label, account_id, bot_id, kind, value_enc) VALUES (?, ?, ?, ?, ?)').run(
    c.label,
    c.accountId,
    c.botId,
    c.kind,
    c.valueEnc,
  );
}

export function listDemoCredentials(db: Db): DemoCredentialRow[] {
  return db
    .prepare(
      `SELECT label, account_id AS accountId, bot_id AS botId, kind, value_enc AS valueEnc
         FROM demo_credentials ORDER BY id`,
    )
    .all() as DemoCredentialRow[];
}
