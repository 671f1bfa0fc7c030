import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../src/main/store/db';
import { fileKeySecretBox } from '../src/main/engine/crypto/secret-box';
import type { EngineContext } from '../src/main/engine/context';
import type { Platform } from '../src/main/engine/platform';
import { filePrefs } from '../src/main/host/prefs-file';
import { appendAudit } from '../src/main/store/audit';

/** A temp dir removed after the test. */
export function tempDir(prefix = 'sso-desk-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function testPlatform(dataDir: string, opened: string[] = []): Platform {
  return {
    kind: 'browser',
    dataDir,
    secrets: fileKeySecretBox(dataDir),
    prefs: filePrefs(dataDir),
    openExternal: async (url) => {
      opened.push(url);
    },
    deliverFile: async (path, name) => ({ kind: 'download', url: `file://${path}`, name }),
  };
}

/** A real store in a temp dir, with an engine context around it and a controllable clock. */
export function testContext(): {
  ctx: EngineContext;
  store: Store;
  dir: string;
  clock: { t: number };
  logs: string[];
  close: () => void;
} {
  const { dir, cleanup } = tempDir();
  const store = openStore(dir);
  const clock = { t: Date.parse('2026-11-25T10:00:00Z') };
  const logs: string[] = [];
  const ctx: EngineContext = {
    store,
    platform: testPlatform(dir),
    urls: { api: null, idp: null, passthrough: null },
    clock: { now: () => clock.t },
    version: '0.0.0-test',
    log: (l) => logs.push(l),
    audit: (event) => void appendAudit(store.db, { ...event, at: clock.t }),
  };
  return {
    ctx,
    store,
    dir,
    clock,
    logs,
    close: () => {
      store.close();
      cleanup();
    },
  };
}
