import type { Db } from '../../store/db';
import { insertTeamMember, listBots, teamLevel } from '../../store/bots';
import { removeTeamMember, setTeamLevel } from '../../store/directory';
import { addGrant, desiredLevels, grantsOfBot, isGrant, listGroupTeams, removeGrant } from '../../store/scim';

/**
 * Group-to-team mappings ("Helpdesk operators" → Helpdesk as operator) decide who is on a bot's team:
 * after any change to groups, members or mappings, each of the account's bots gets the places its
 * mapped groups call for (the highest level wins). Places an admin made by hand are left alone;
 * places provisioning made (scim_team_grants) are updated or removed when the groups no longer call
 * for them. `_userIds` is a hint for callers; the recompute covers the whole account and is one
 * grouped query per bot.
 * @returns how many places were added, changed and removed.
 */
export function syncTeams(
  db: Db,
  accountId: string,
  _userIds: number[],
): { added: number; changed: number; removed: number } {
  const mapped = new Set(listGroupTeams(db, accountId).map((m) => m.botId));
  const counts = { added: 0, changed: 0, removed: 0 };
  for (const bot of listBots(db, accountId)) {
    const granted = grantsOfBot(db, bot.id);
    if (!mapped.has(bot.id) && granted.length === 0) continue;
    const desired = desiredLevels(db, accountId, bot.id);
    for (const [userId, level] of desired) {
      if (userId === bot.ownerUserId) continue;
      const current = teamLevel(db, bot.id, userId);
      if (current === undefined) {
        insertTeamMember(db, bot.id, userId, level);
        addGrant(db, bot.id, userId);
        counts.added++;
      } else if (current !== level && isGrant(db, bot.id, userId)) {
        setTeamLevel(db, bot.id, userId, level);
        counts.changed++;
      }
    }
    for (const userId of granted) {
      if (desired.has(userId)) continue;
      removeTeamMember(db, bot.id, userId);
      removeGrant(db, bot.id, userId);
      counts.removed++;
    }
  }
  return counts;
}

/** Removes the team places provisioning made for one user on an account's bots (the user left it). */
export function dropUserFromTeams(db: Db, accountId: string, userId: number): void {
  for (const bot of listBots(db, accountId)) {
    if (!isGrant(db, bot.id, userId)) continue;
    removeTeamMember(db, bot.id, userId);
    removeGrant(db, bot.id, userId);
  }
}
