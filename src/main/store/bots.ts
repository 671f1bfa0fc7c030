import type { Db } from './db';
import type { TeamLevel } from '@shared/domain';

export interface BotRow {
  id: string;
  accountId: string;
  name: string;
  ownerUserId: number;
  ownerEmail: string;
}

const SELECT_BOT = `SELECT b.id, b.account_id AS accountId, b.name, b.owner_user_id AS ownerUserId, u.email AS ownerEmail
                      FROM bots b JOIN users u ON u.id = b.owner_user_id`;

export function insertBot(db: Db, b: Omit<BotRow, 'ownerEmail'>, now: number): void {
  db.prepare('INSERT INTO bots (id, account_id, name, owner_user_id, created_at) VALUES (?, ?, ?, ?, ?)').run(
    b.id,
    b.accountId,
    b.name,
    b.ownerUserId,
    now,
  );
}

export function getBot(db: Db, id: string): BotRow | undefined {
  return db.prepare(`${SELECT_BOT} WHERE b.id = ?`).get(id) as BotRow | undefined;
}

export function listBots(db: Db, accountId: string): BotRow[] {
  return db.prepare(`${SELECT_BOT} WHERE b.account_id = ? ORDER BY b.name`).all(accountId) as BotRow[];
}

export function insertTeamMember(db: Db, botId: string, userId: number, level: TeamLevel): void {
  db.prepare('INSERT INTO bot_team (bot_id, user_id, level) VALUES (?, ?, ?)').run(botId, userId, level);
}

export function teamLevel(db: Db, botId: string, userId: number): TeamLevel | undefined {
  const r = db.prepare('SELECT level FROM bot_team WHERE bot_id = ? AND user_id = ?').get(botId, userId) as
    { level: TeamLevel } | undefined;
  return r?.level;
}

export function listTeam(db: Db, botId: string): Array<{ userId: number; email: string; level: TeamLevel }> {
  return db
    .prepare(
      `SELECT t.user_id AS userId, u.email, t.level FROM bot_team t JOIN users u ON u.id = t.user_id
        WHERE t.bot_id = ? ORDER BY u.email`,
    )
    .all(botId) as Array<{ userId: number; email: string; level: TeamLevel }>;
}
