import { readFileSync } from 'node:fs';
import type { EngineContext } from '../context';
import type { Handlers } from '../dispatch';
import { tableCounts, storeHealthy } from '../../store/db';

/** quick_check reads every page (a quarter of a second on a million audit events): at most every 5 minutes. */
const HEALTH_TTL_MS = 5 * 60_000;

export function appHandlers(ctx: EngineContext): Pick<Handlers, 'app.info' | 'app.prefs.get' | 'app.prefs.set'> {
  let health: { at: number; ok: boolean } | null = null;
  const healthy = (): boolean => {
    const now = ctx.clock.now();
    if (!health || now - health.at > HEALTH_TTL_MS) health = { at: now, ok: storeHealthy(ctx.store.db) };
    return health.ok;
  };
  return {
    'app.info': () => ({
      name: 'SSO Desk',
      version: ctx.version,
      host: ctx.platform.kind,
      dataDir: ctx.platform.dataDir,
      databaseFile: ctx.store.file,
      schemaVersion: ctx.store.schemaVersion,
      storeHealthy: healthy(),
      counts: tableCounts(ctx.store.db),
      urls: { ...ctx.urls },
    }),
    'app.prefs.get': () => {
      const p = ctx.platform.prefs.get();
      return { theme: p.theme, lastAccount: p.lastAccount };
    },
    'app.prefs.set': (input) => {
      const patch: Parameters<typeof ctx.platform.prefs.set>[0] = {};
      if (input.theme !== undefined) patch.theme = input.theme;
      if (input.lastAccount !== undefined) patch.lastAccount = input.lastAccount;
      const p = ctx.platform.prefs.set(patch);
      return { theme: p.theme, lastAccount: p.lastAccount };
    },
  };
}

/** The app's version from package.json, read once at start-up. */
export function readVersion(packageJsonPath: string): string {
  try {
    return (JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
