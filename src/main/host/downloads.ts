import { randomToken } from '../engine/crypto/hash';
import { rmSync } from 'node:fs';

interface Pending {
  path: string;
  name: string;
  mime: string;
  expires: number;
}

const TTL = 5 * 60 * 1000;

/**
 * One-time download links of the browser host. A link is a 256-bit token, good for one GET within
 * five minutes; the file is deleted once served or expired.
 */
export function createDownloads(now: () => number = Date.now) {
  const pending = new Map<string, Pending>();
  const sweep = () => {
    for (const [token, p] of pending) {
      if (p.expires <= now()) {
        pending.delete(token);
        rmSync(p.path, { force: true });
      }
    }
  };
  return {
    register(path: string, name: string, mime: string): string {
      sweep();
      const token = randomToken();
      pending.set(token, { path, name, mime, expires: now() + TTL });
      return `/api/download/${token}`;
    },
    take(token: string): Pending | undefined {
      sweep();
      const p = pending.get(token);
      pending.delete(token);
      return p;
    },
    clear() {
      for (const p of pending.values()) rmSync(p.path, { force: true });
      pending.clear();
    },
  };
}

export type Downloads = ReturnType<typeof createDownloads>;
