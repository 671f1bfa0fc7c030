import type { Db } from '../../store/db';
import { insertTeamMember, listBots, teamLevel } from '../../store/bots';
import { removeTeamMember, setTeamLevel } from '../../store/directory';
import { addGrant, desiredLevels, grantsOfBot, isGrant, listGroupTeams, removeGrant } from '../../store/scim';
import { getUser } from '../../store/users';
import { endMemberAccess } from '../access/end-access';

/** Who asked for a recompute of the mapped teams, for the audit of each place it takes away. */
export interface TeamSyncBy {
  /** 'scim:Okta' for provisioning, 'console' for a mapping changed in Settings › Provisioning. */
  actor: string;
  method: string;
  now: number;
}

/**
 * Group-to-team mappings ("Helpdesk operators" → Helpdesk as operator) decide who is on a bot's team:
 * after any change to groups, members or mappings, each of the account's bots gets the places its
 * mapped groups call for (the highest level wins). Places an admin made by hand are left alone;
 * places provisioning made (scim_team_grants) are updated or removed when the groups no longer call
 * for them. A place taken away ends access the one way, `endMemberAccess` (issue #23): the member's
 * deep links into that bot are revoked with it, audited as `scim.team.remove` naming who asked.
 * @returns how many places were added, changed and removed.
 */
export function syncTeams(
  db: Db,
  accountId: string,
  by: TeamSyncBy,
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
      const email = getUser(db, userId)?.email ?? `user ${userId}`;
      const before = teamLevel(db, bot.id, userId) ?? null;
      endMemberAccess({
        db,
        now: by.now,
        actor: by.actor,
        method: by.method,
        accountId,
        scope: { kind: 'bot', userId, email, botId: bot.id },
        audit: {
          kind: 'scim.team.remove',
          reason: `took ${email} off ${bot.name}'s team: no group mapped to it has them any more`,
          changes: [{ field: `team.${bot.id}.level`, old: before, new: null }],
        },
        change: () => {
          removeTeamMember(db, bot.id, userId);
          removeGrant(db, bot.id, userId);
        },
      });
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
