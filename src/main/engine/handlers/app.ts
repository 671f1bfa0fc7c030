import { readFileSync } from 'node:fs';
import type { EngineContext } from '../context';
import type { Handlers } from '../dispatch';
import { tableCounts, storeHealthy } from '../../store/db';

export function appHandlers(ctx: EngineContext): Pick<Handlers, 'app.info' | 'app.prefs.get' | 'app.prefs.set'> {
  return {
    'app.info': () => ({
      name: 'SSO Desk',
      version: ctx.version,
      host: ctx.platform.kind,
      dataDir: ctx.platform.dataDir,
      databaseFile: ctx.store.file,
      schemaVersion: ctx.store.schemaVersion,
      storeHealthy: storeHealthy(ctx.store.db),
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
