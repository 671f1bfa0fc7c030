import type { Db } from '../../store/db';
import { getSetting, putSetting } from '../../store/settings';

const KEY = 'audit.retention';

/** How long the audit log keeps events, and what the last purge did (engine/maintenance deletes them). */
export interface RetentionState {
  days: number | null;
  lastRunAt: number | null;
  lastDeleted: number;
}

export const DEFAULT_RETENTION: RetentionState = { days: 365, lastRunAt: null, lastDeleted: 0 };

export const getRetention = (db: Db): RetentionState => getSetting(db, KEY, DEFAULT_RETENTION);

export function setRetentionDays(db: Db, days: number | null): RetentionState {
  putSetting(db, KEY, { ...getRetention(db), days });
  return getRetention(db);
}

export function recordRetentionRun(db: Db, at: number, deleted: number): void {
  putSetting(db, KEY, { ...getRetention(db), lastRunAt: at, lastDeleted: deleted });
}
