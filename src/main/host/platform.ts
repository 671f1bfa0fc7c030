import { fileKeySecretBox } from '../engine/crypto/secret-box';
import type { Platform } from '../engine/platform';
import type { Downloads } from './downloads';
import { filePrefs } from './prefs-file';

/**
 * The browser host's platform: AES-256-GCM with a 0600 key file, a JSON preferences file, files
 * handed over as one-time download links, and "open in the browser" left to the console, which
 * opens the URL in a new tab itself.
 */
export function browserPlatform(dataDir: string, downloads: Downloads): Platform {
  return {
    kind: 'browser',
    dataDir,
    secrets: fileKeySecretBox(dataDir),
    prefs: filePrefs(dataDir),
    openExternal: async () => {
      // The console (a browser tab) opens the URL with window.open; nothing to do on the server.
    },
    deliverFile: async (path, name, mime) => ({ kind: 'download', url: downloads.register(path, name, mime), name }),
  };
}
