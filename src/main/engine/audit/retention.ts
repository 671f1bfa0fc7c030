import type { Db } from '../../store/db';
import { deleteAuditBefore } from '../../store/audit';
import { getSetting, putSetting } from '../../store/settings';
import type { Clock } from '../context';

const KEY = 'audit.retention';
const DAY = 24 * 60 * 60 * 1000;
const BATCH = 2000;
const EVERY = 60 * 60 * 1000;

export interface RetentionState {
  days: number | null;
  lastRunAt: number | null;
  lastDeleted: number;
}

export const DEFAULT_RETENTION: RetentionState = { days: 365, lastRunAt: null, lastDeleted: 0 };

export const getRetention = (db: Db): RetentionState => getSetting(db, KEY, DEFAULT_RETENTION);

/**
 * Deletes events older than the retention window in batches, yielding to the event loop between
 * batches: a large purge never holds the store (and so the UI's calls) for more than one batch.
 */
export async function purgeExpired(db: Db, clock: Clock): Promise<number> {
  const state = getRetention(db);
  let deleted = 0;
  if (state.days !== null) {
    const cutoff = clock.now() - state.days * DAY;
    for (;;) {
      const n = deleteAuditBefore(db, cutoff, BATCH);
      deleted += n;
      if (n < BATCH) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  putSetting(db, KEY, { ...getRetention(db), lastRunAt: clock.now(), lastDeleted: deleted });
  return deleted;
}

export function setRetentionDays(db: Db, days: number | null): RetentionState {
  putSetting(db, KEY, { ...getRetention(db), days });
  return getRetention(db);
}

/** Runs the purge now and then hourly; `kick()` runs it again at once (after the setting changed). */
export function startRetention(
  db: Db,
  clock: Clock,
  log: (line: string) => void,
): { kick(): Promise<number>; stop(): void } {
  let running: Promise<number> | null = null;
  const run = (): Promise<number> => {
    running ??= purgeExpired(db, clock)
      .catch((e: unknown) => {
        log(`[audit retention] ${(e as Error).message}`);
        return 0;
      })
      .finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => void run(), EVERY);
  timer.unref();
  void run();
  return { kick: run, stop: () => clearInterval(timer) };
}
