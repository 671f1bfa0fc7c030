import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Prefs, PrefsStore } from '../engine/platform';

const DEFAULTS: Prefs = { theme: 'system', lastAccount: null };

/** Preferences of the browser host: a JSON file in the data dir, written atomically. */
export function filePrefs(dataDir: string): PrefsStore {
  const file = join(dataDir, 'preferences.json');
  let current: Prefs = { ...DEFAULTS };
  try {
    current = { ...DEFAULTS, ...(JSON.parse(readFileSync(file, 'utf8')) as Partial<Prefs>) };
  } catch {
    // Missing or unreadable: start from the defaults; the next set() writes a good file.
  }
  return {
    get: () => ({ ...current }),
    set(patch) {
      current = { ...current, ...patch };
      writeFileSync(`${file}.tmp`, JSON.stringify(current, null, 2), { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
      return { ...current };
    },
  };
}
