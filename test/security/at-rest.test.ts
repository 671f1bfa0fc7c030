import { describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boot } from '../../src/main/boot';
import { testPlatform } from '../helpers';
import { post } from '../passthrough/helpers';

const mode = (p: string) => statSync(p).mode & 0o777;

describe.skipIf(process.platform === 'win32')('at rest: a private data dir', () => {
  it('tightens a pre-existing 0755 dir to 0700 and every file in it to 0600, with a warning', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'sso-desk-modes-'));
    const dir = join(parent, 'data');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'notes.txt'), 'left here earlier');
    chmodSync(join(dir, 'notes.txt'), 0o644);
    const lines: string[] = [];
    const b = await boot({
      dataDir: dir,
      version: 'test',
      platform: (d) => testPlatform(d),
      log: (l) => lines.push(l),
    });
    try {
      // Writes go through the WAL: -wal and -shm exist, and a secret gets encrypted with the key file.
      await post(`${b.urls.api}/auth/password/forgot`, { email: 'ivan@initech.test' });
      b.ctx.platform.secrets.encrypt('x');
      expect(mode(dir)).toBe(0o700);
      const files = readdirSync(dir);
      expect(files).toEqual(
        expect.arrayContaining(['sso-desk.sqlite', 'sso-desk.sqlite-wal', 'sso-desk.sqlite-shm', 'notes.txt']),
      );
      for (const f of files) {
        const p = join(dir, f);
        expect(mode(p), f).toBe(statSync(p).isDirectory() ? 0o700 : 0o600);
      }
      expect(
        lines.some(
          (l) =>
            l.startsWith('warning: the data dir was readable by others') &&
            l.includes('was 0755') &&
            l.includes('notes.txt'),
        ),
      ).toBe(true);
    } finally {
      await b.close();
      rmSync(parent, { recursive: true, force: true });
    }
  }, 60_000);
});
