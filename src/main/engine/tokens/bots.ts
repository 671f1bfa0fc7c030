import type { Db } from '../../store/db';
import { listAccounts } from '../../store/accounts';
import { listBots, listTeam } from '../../store/bots';
import type { TeamLevel } from '@shared/domain';

export interface BotWithTeam {
  account: string;
  accountName: string;
  id: string;
  name: string;
  owner: string;
  team: Array<{ email: string; level: TeamLevel }>;
}

/** Every bot with its owner and team: who a token may be issued for. */
export function botsWithTeams(db: Db): BotWithTeam[] {
  return listAccounts(db).flatMap((a) =>
    listBots(db, a.id).map((b) => ({
      account: a.id,
      accountName: a.name,
      id: b.id,
      name: b.name,
      owner: b.ownerEmail,
      team: listTeam(db, b.id).map((t) => ({ email: t.email, level: t.level })),
    })),
  );
}
