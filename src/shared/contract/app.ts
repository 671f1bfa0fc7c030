import { z } from 'zod';
import { channel } from './channel';

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  host: z.enum(['electron', 'browser']),
  dataDir: z.string(),
  databaseFile: z.string(),
  schemaVersion: z.number().int(),
  storeHealthy: z.boolean(),
  counts: z.record(z.string(), z.number().int()),
  urls: z.object({ api: z.string().nullable(), idp: z.string().nullable(), passthrough: z.string().nullable() }),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const Theme = z.enum(['system', 'light', 'dark']);

export const appChannels = {
  info: channel(z.void(), AppInfo, 'Version, data dir, schema version and row counts.'),
  prefs: {
    get: channel(z.void(), z.object({ theme: Theme, lastAccount: z.string().nullable() }), 'UI preferences.'),
    set: channel(
      z.strictObject({ theme: Theme.optional(), lastAccount: z.string().max(64).nullable().optional() }),
      z.object({ theme: Theme, lastAccount: z.string().nullable() }),
      'Change UI preferences.',
    ),
  },
};
