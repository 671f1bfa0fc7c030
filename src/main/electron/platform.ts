import { dialog, safeStorage, shell } from 'electron';
import { copyFileSync, rmSync } from 'node:fs';
import Store from 'electron-store';
import type { SecretBox } from '../engine/crypto/secret-box';
import type { Platform, Prefs, PrefsStore } from '../engine/platform';

/** safeStorage (OS keychain / DPAPI / libsecret), with the `e1:` prefix of SecretBox's scheme. */
function safeStorageBox(): SecretBox {
  return {
    scheme: 'e1',
    encrypt(plain) {
      if (!safeStorage.isEncryptionAvailable()) throw new Error('OS encryption (safeStorage) is not available');
      return `e1:${safeStorage.encryptString(plain).toString('base64')}`;
    },
    decrypt(text) {
      if (!text.startsWith('e1:')) throw new Error('this secret was encrypted by another scheme');
      return safeStorage.decryptString(Buffer.from(text.slice(3), 'base64'));
    },
  };
}

function electronPrefs(): PrefsStore {
  const store = new Store<Prefs>({ name: 'preferences', defaults: { theme: 'system', lastAccount: null } });
  return {
    get: () => ({
      theme: store.get('theme'),
      lastAccount: store.get('lastAccount'),
      windowBounds: store.get('windowBounds'),
    }),
    set(patch) {
      for (const [k, v] of Object.entries(patch)) store.set(k as keyof Prefs, v as never);
      return {
        theme: store.get('theme'),
        lastAccount: store.get('lastAccount'),
        windowBounds: store.get('windowBounds'),
      };
    },
  };
}

const ALLOWED_SCHEMES = new Set(['http:', 'https:']);

export function electronPlatform(dataDir: string): Platform {
  return {
    kind: 'electron',
    dataDir,
    secrets: safeStorageBox(),
    prefs: electronPrefs(),
    async openExternal(url) {
      // Only web URLs reach the system browser: never file:, javascript: or custom schemes.
      if (!ALLOWED_SCHEMES.has(new URL(url).protocol))
        throw new Error(`refusing to open ${new URL(url).protocol} URLs`);
      await shell.openExternal(url);
    },
    async deliverFile(path, suggestedName) {
      try {
        const choice = await dialog.showSaveDialog({ defaultPath: suggestedName });
        if (choice.canceled || !choice.filePath) return { kind: 'cancelled' };
        copyFileSync(path, choice.filePath);
        return { kind: 'saved', path: choice.filePath };
      } finally {
        rmSync(path, { force: true });
      }
    },
  };
}
