import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonOf, post, start, testWorkspace, TestClock, world, type Keys, type Running } from './harness';
import { openStore } from '../../src/main/store/db';
import { MIGRATIONS } from '../../src/main/store/migrations';
import { importWorkspace } from '../../src/main/engine/workspace/import';
import { fileKeySecretBox } from '../../src/main/engine/crypto/secret-box';
import { pruneExpired } from '../../src/main/engine/maintenance/maintenance';

// Split tokens (engine/tokens/split-token.ts): `<selector><verifier>`, found by row id, no index on
// random hashes; tokens issued before migration 93 keep working for the hour they live.

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const text = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

let run: Running;
let keys: Keys;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ run, keys, cleanup } = await world());
});
afterAll(() => cleanup());

const issue = async (): Promise<{ Home: string; Token: string }> => {
  const res = await post(`${run.api}/authorization/sso`, {
    AccountAPIKey: keys.acme,
    BotAPIKey: keys.helpdesk.key,
    BotAPISecret: keys.helpdesk.secret,
    Email: 'ann@acme.test',
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { Home: string; Token: string };
};
const rowIdOf = (token: string) =>
  (run.store.db.prepare('SELECT id FROM sso_tokens WHERE hash = ?').get(sha(token.slice(22))) as { id: number }).id;
const page = async (token: string) => {
  const res = await fetch(`${run.api}/auth/sso/${token}`, { redirect: 'manual' });
  return { status: res.status, text: text(await res.text()) };
};
const inspect = async (input: string) =>
  (await run.dispatch('tokens.inspect', { input })) as { ok: boolean; value?: { status: string } };

describe('split tokens', () => {
  it('name their row without showing its id: consecutive tokens share nothing a reader could count', async () => {
    const tokens = [];
    for (let i = 0; i < 5; i++) tokens.push((await issue()).Token);
    const ids = tokens.map(rowIdOf);
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBe(ids[i - 1]! + 1); // rows are appended in order…
    for (let i = 0; i < tokens.length; i++) {
      const sealed = Buffer.from(tokens[i]!.slice(0, 22), 'base64url');
      expect(sealed.readUIntBE(10, 6)).not.toBe(ids[i]); // …but the selector is not the id in clear
      expect(sealed.subarray(0, 10).equals(Buffer.alloc(10))).toBe(false); // nor the block before sealing
      if (i > 0) expect(tokens[i]!.slice(0, 4)).not.toBe(tokens[i - 1]!.slice(0, 4));
    }
  });

  it('refuse a changed verifier, a borrowed selector and a made-up selector, on every path', async () => {
    const a = (await issue()).Token;
    const b = (await issue()).Token;
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    const forged = [
      flip(a, 64), // last character of the verifier
      a.slice(0, 22) + b.slice(22), // a's row, b's verifier
      randomBytes(16).toString('base64url') + a.slice(22), // a selector nobody sealed
      flip(a, 3), // a's selector, changed
      a.slice(0, 64), // one character short
      a.slice(22), // the verifier alone: the length of a pre-93 token, but only pre-93 rows are found by hash
    ];
    for (const t of forged) {
      const p = await page(t);
      expect(p.status, t).toBe(401);
      expect(p.text).toContain('Unknown sign-in link');
      expect((await inspect(t)).value?.status).toBe('unknown');
    }
    // The real ones still work, and the refusals did not touch them.
    expect((await page(a)).status).toBe(200);
    expect((await inspect(b)).value?.status).toBe('active');
  });

  it('integration tokens are split too, and a forged bearer is not known', async () => {
    const body = await jsonOf(await post(`${run.api}/authorization/integration`, { AccountAPIKey: keys.acme }));
    const token = body.Token as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{65}$/);
    expect((await fetch(`${run.api}/bots`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    const forged = token.slice(0, 22) + randomBytes(32).toString('base64url');
    const res = await fetch(`${run.api}/bots`, { headers: { Authorization: `Bearer ${forged}` } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_token' } });
  });

  it('keep no index on the random hash: issuance appends, lookups seek the primary key', () => {
    const db = run.store.db;
    const indexes = db.prepare("SELECT name, partial FROM pragma_index_list('sso_tokens')").all();
    expect(indexes).toEqual([{ name: 'sso_tokens_legacy_hash', partial: 1 }]);
    const plan = (
      db.prepare('EXPLAIN QUERY PLAN SELECT * FROM sso_tokens WHERE id = ? AND format = 2').all(1) as Array<{
        detail: string;
      }>
    ).map((r) => r.detail);
    expect(plan.join(' ')).toMatch(/USING INTEGER PRIMARY KEY/);
  });
});

describe('tokens issued before split tokens (schema 92)', () => {
  it('keep working through the upgrade for the hour they live, with their sessions, then go', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sso-desk-legacy-tokens-'));
    try {
      const clock = new TestClock();
      // A data dir of the version before: old-format tokens are the random part alone, stored by hash.
      const old = openStore(
        dir,
        MIGRATIONS.filter((m) => m.version < 93),
      );
      const { ws } = testWorkspace();
      await importWorkspace(old.db, fileKeySecretBox(dir), ws, { now: clock.now() });
      const ann = (old.db.prepare("SELECT id FROM users WHERE email = 'ann@acme.test'").get() as { id: number }).id;
      const legacy = randomBytes(32).toString('base64url');
      const put = old.db.prepare(
        "INSERT INTO sso_tokens (hash, scope, account_id, bot_id, user_id, issued_at, expires_at) VALUES (?, 'sso', 'acme', 'helpdesk', ?, ?, ?)",
      );
      const tokenId = Number(put.run(sha(legacy), ann, clock.now(), clock.now() + 3_600_000).lastInsertRowid);
      old.db
        .prepare('INSERT INTO sso_sessions (hash, token_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
        .run(sha('a-session'), tokenId, clock.now(), clock.now() + 3_600_000);
      old.close();

      clock.advance(10 * 60_000);
      const r = await start(dir, clock); // migration 93 runs here
      try {
        expect(r.store.db.prepare('SELECT count(*) AS n FROM sso_sessions WHERE token_id = ?').get(tokenId)).toEqual({
          n: 1,
        });
        expect(r.store.db.pragma('foreign_key_check')).toEqual([]);
        const home = await fetch(`${r.api}/auth/sso/${legacy}`, { redirect: 'manual' });
        expect(home.status).toBe(200);
        expect(text(await home.text())).toContain('Signed in as Ann Lee (ann@acme.test)');
        const seen = (await r.dispatch('tokens.inspect', { input: legacy })) as {
          value: { status: string; fingerprint: string };
        };
        expect(seen.value).toMatchObject({ status: 'active', fingerprint: `tok:${sha(legacy).slice(0, 8)}` });
        // The old token's verifier alone with a selector in front is not it.
        const k = keysOf(ws);
        const fresh = (await jsonOf(await post(`${r.api}/authorization/sso`, { ...k, Email: 'ann@acme.test' })))
          .Token as string;
        expect(fresh).toHaveLength(65);
        expect((await fetch(`${r.api}/auth/sso/${fresh.slice(0, 22)}${legacy}`, { redirect: 'manual' })).status).toBe(
          401,
        );

        clock.advance(51 * 60_000); // the legacy token's hour is over
        const expired = await fetch(`${r.api}/auth/sso/${legacy}`, { redirect: 'manual' });
        expect(expired.status).toBe(401);
        expect(text(await expired.text())).toMatch(/expired/i);
        await pruneExpired(r.store.db, clock.now());
        expect(r.store.db.prepare('SELECT count(*) AS n FROM sso_tokens WHERE format = 1').get()).toEqual({ n: 0 });
        expect(r.store.db.prepare('SELECT count(*) AS n FROM sso_sessions WHERE token_id = ?').get(tokenId)).toEqual({
          n: 0,
        });
        // The new token lives on.
        expect((await fetch(`${r.api}/auth/sso/${fresh}`, { redirect: 'manual' })).status).toBe(200);
      } finally {
        await r.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function keysOf(ws: ReturnType<typeof testWorkspace>['ws']) {
  const acme = ws.accounts.find((a) => a.id === 'acme')!;
  const bot = ws.bots.find((b) => b.id === 'helpdesk')!;
  return { AccountAPIKey: acme.apiKey, BotAPIKey: bot.apiKey, BotAPISecret: bot.apiSecret };
}
