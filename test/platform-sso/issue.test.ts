import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { jsonOf, post, world, type Keys, type Running } from './harness';

let run: Running;
let keys: Keys;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ run, keys, cleanup } = await world());
});
afterAll(() => cleanup());

const sso = (body: unknown) => post(`${run.api}/authorization/sso`, body);
const helpdesk = (Email: string, over: Record<string, unknown> = {}) => ({
  AccountAPIKey: keys.acme,
  BotAPIKey: keys.helpdesk.key,
  BotAPISecret: keys.helpdesk.secret,
  Email,
  ...over,
});

describe('POST /authorization/sso: 200', () => {
  it.each([
    ['the owner, who is not on the team', 'ann@acme.test'],
    ['a team admin', 'bob@acme.test'],
    ['a team operator', 'carol@acme.test'],
    ['a team viewer (a member of two accounts)', 'dana@example.test'],
    ['an email in another case', 'Carol@ACME.test'],
  ])('issues a token for %s', async (_who, email) => {
    const res = await sso(helpdesk(email));
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    expect(Object.keys(body).sort()).toEqual(['Expires', 'Home', 'Token']);
    expect(body.Expires).toBe(60);
    const token = body.Token as string;
    // A split token: a 22-character sealed selector, then 32 random bytes (256 bits) in base64url.
    expect(token).toMatch(/^[A-Za-z0-9_-]{65}$/);
    expect(body.Home).toBe(`${run.api}/auth/sso/${token}`);
  });

  it('issues for a team editor of another account’s bot', async () => {
    const res = await sso({
      AccountAPIKey: keys.globex,
      BotAPIKey: keys.salesBot.key,
      BotAPISecret: keys.salesBot.secret,
      Email: 'frank@globex.test',
    });
    expect(res.status).toBe(200);
  });

  it('stores only the SHA-256 of the token’s random part, with account, bot, user, times', async () => {
    const token = (await jsonOf(await sso(helpdesk('bob@acme.test')))).Token as string;
    const hash = createHash('sha256').update(token.slice(22)).digest('hex');
    const row = run.store.db.prepare('SELECT * FROM sso_tokens WHERE hash = ?').get(hash) as Record<string, unknown>;
    expect(row).toMatchObject({ scope: 'sso', account_id: 'acme', bot_id: 'helpdesk', revoked_at: null });
    expect((row.expires_at as number) - (row.issued_at as number)).toBe(60 * 60_000);
    const dump = JSON.stringify(run.store.db.prepare('SELECT * FROM sso_tokens').all());
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(token.slice(22));
    const audit = JSON.stringify(run.store.db.prepare('SELECT * FROM audit_events').all());
    expect(audit).not.toContain(token);
    expect(audit).toContain(`tok:${hash.slice(0, 8)}`);
  });

  it('gives every token a different value', async () => {
    const tokens = await Promise.all(
      Array.from({ length: 20 }, async () => (await jsonOf(await sso(helpdesk('ann@acme.test')))).Token),
    );
    expect(new Set(tokens).size).toBe(20);
  });
});

describe('POST /authorization/sso: 400', () => {
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['a body that is not JSON', '{"AccountAPIKey": ', 'invalid_json', /not valid JSON/],
    ['an empty body', '', 'invalid_json', /empty/],
    ['a JSON array', '[1,2]', 'invalid_body', /JSON object/],
    [
      'a missing AccountAPIKey',
      { BotAPIKey: 'x', BotAPISecret: 'y', Email: 'a@b.test' },
      'missing_field',
      /^AccountAPIKey is missing$/,
    ],
    [
      'a missing Email',
      { AccountAPIKey: 'a', BotAPIKey: 'x', BotAPISecret: 'y' },
      'missing_field',
      /^Email is missing$/,
    ],
    [
      'a numeric BotAPIKey',
      { AccountAPIKey: 'a', BotAPIKey: 42, BotAPISecret: 'y', Email: 'a@b.test' },
      'invalid_field',
      /BotAPIKey must be a string, not number/,
    ],
    [
      'an object BotAPISecret',
      { AccountAPIKey: 'a', BotAPIKey: 'x', BotAPISecret: {}, Email: 'a@b.test' },
      'invalid_field',
      /BotAPISecret must be a string/,
    ],
    [
      'an email that is not an email',
      { AccountAPIKey: 'a', BotAPIKey: 'x', BotAPISecret: 'y', Email: 'ann at acme' },
      'invalid_email',
      /Email is not an email address/,
    ],
    [
      'a body over 16 KiB',
      { AccountAPIKey: 'a'.repeat(17 * 1024), BotAPIKey: 'x', BotAPISecret: 'y', Email: 'a@b.test' },
      'body_too_large',
      /over 16 KiB/,
    ],
  ];
  it.each(cases)('refuses %s', async (_what, body, code, message) => {
    const res = await sso(body);
    expect(res.status).toBe(400);
    const json = await jsonOf(res);
    expect(json).toEqual({ error: { code, message: expect.stringMatching(message) } });
  });

  it('refuses an account without the SSO Login package, and says so', async () => {
    const res = await sso({
      AccountAPIKey: keys.initech,
      BotAPIKey: keys.printer.key,
      BotAPISecret: keys.printer.secret,
      Email: 'ivan@initech.test',
    });
    expect(res.status).toBe(400);
    expect(await jsonOf(res)).toEqual({
      error: {
        code: 'package_missing',
        message: 'account "Initech" does not have the SSO Login package, which Platform SSO needs',
      },
    });
  });
});

describe('POST /authorization/sso: 404', () => {
  const notFound = async (body: unknown) => {
    const res = await sso(body);
    expect(res.status).toBe(404);
    return jsonOf(res);
  };
  it('for an unknown account key', async () => {
    expect(await notFound(helpdesk('ann@acme.test', { AccountAPIKey: 'acc_nope' }))).toEqual({
      error: { code: 'not_found', message: 'no account matches this AccountAPIKey' },
    });
  });
  it('for a wrong bot key, a wrong secret, another account’s bot, or another bot’s secret: all alike', async () => {
    const bodies = [
      helpdesk('ann@acme.test', { BotAPIKey: 'bot_nope' }),
      helpdesk('ann@acme.test', { BotAPISecret: `${keys.helpdesk.secret}x` }),
      helpdesk('ann@acme.test', { BotAPIKey: keys.salesBot.key, BotAPISecret: keys.salesBot.secret }),
      helpdesk('ann@acme.test', { BotAPISecret: keys.salesBot.secret }),
      helpdesk('ann@acme.test', { BotAPIKey: keys.helpdesk.secret, BotAPISecret: keys.helpdesk.key }),
    ];
    const answers = await Promise.all(bodies.map(notFound));
    for (const a of answers)
      expect(a).toEqual({
        error: { code: 'not_found', message: 'no bot of this account matches this BotAPIKey and BotAPISecret' },
      });
  });
  it.each([
    ['an unknown email', 'nobody@acme.test'],
    ['a user of another account', 'erin@globex.test'],
  ])('for %s', async (_what, email) => {
    expect(await notFound(helpdesk(email))).toEqual({
      error: { code: 'not_found', message: 'no user with this email is the owner of this bot or on its team' },
    });
  });

  it('runs the same statements, in the same order, for a wrong secret as for an unknown bot (counted, not timed)', async () => {
    // Every statement better-sqlite3 runs goes through these four methods of the one Statement class.
    const proto = Object.getPrototypeOf(run.store.db.prepare('SELECT 1')) as Record<
      string,
      (...a: unknown[]) => unknown
    >;
    const methods = ['run', 'get', 'all', 'iterate'] as const;
    const originals = methods.map((m) => proto[m]!);
    let trace: string[] = [];
    methods.forEach((m, i) => {
      proto[m] = function (this: { source: string }, ...args: unknown[]) {
        trace.push(`${m} ${this.source.replace(/\s+/g, ' ').trim()}`);
        return originals[i]!.apply(this, args);
      };
    });
    const traced = async (body: unknown) => {
      trace = [];
      const res = await sso(body);
      expect(res.status).toBe(404);
      await res.arrayBuffer();
      return trace;
    };
    try {
      // Once each first, so that the keys' last-use writes and the statement cache are behind us.
      const wrongSecret = helpdesk('ann@acme.test', { BotAPISecret: `${keys.helpdesk.secret.slice(0, -1)}X` });
      const unknownBot = helpdesk('ann@acme.test', {
        BotAPIKey: 'bot_unknown_0000000000000000',
        BotAPISecret: 'sec_unknown_00000000000000',
      });
      await traced(wrongSecret);
      await traced(unknownBot);
      const a = await traced(wrongSecret);
      const b = await traced(unknownBot);
      expect(a.length).toBeGreaterThan(2); // the lookup and the audited refusal, at least
      expect(a.some((s) => s.includes('FROM (SELECT 1)'))).toBe(true); // the one lookup statement
      expect(a).toEqual(b);
    } finally {
      methods.forEach((m, i) => (proto[m] = originals[i]!));
    }
  });

  it('hashes and compares as much for a wrong secret as for an unknown bot (counted, not timed)', async () => {
    // The crypto work of a request, counted at node:crypto: every SHA-256 and every constant-time compare.
    // syncBuiltinESMExports carries the patch to the ESM named imports of src/main/engine/crypto/hash.ts.
    const original = { hash: crypto.hash, timingSafeEqual: crypto.timingSafeEqual };
    let work: string[] = [];
    const patched = crypto as unknown as Record<string, unknown>;
    patched.hash = (...a: Parameters<typeof crypto.hash>) => {
      work.push(`hash ${String(a[0])}`);
      return original.hash(...a);
    };
    patched.timingSafeEqual = (x: NodeJS.ArrayBufferView, y: NodeJS.ArrayBufferView) => {
      work.push(`compare ${x.byteLength}/${y.byteLength}`);
      return original.timingSafeEqual(x, y);
    };
    syncBuiltinESMExports();
    const counted = async (body: unknown) => {
      work = [];
      const res = await sso(body);
      expect(res.status).toBe(404);
      await res.arrayBuffer();
      return work;
    };
    try {
      const wrongSecret = helpdesk('ann@acme.test', { BotAPISecret: `${keys.helpdesk.secret.slice(0, -1)}X` });
      const unknownBot = helpdesk('ann@acme.test', {
        BotAPIKey: 'bot_unknown_0000000000000000',
        BotAPISecret: 'sec_unknown_00000000000000',
      });
      const a = await counted(wrongSecret);
      const b = await counted(unknownBot);
      expect(a.filter((w) => w.startsWith('hash')).length).toBeGreaterThanOrEqual(3); // account key, bot key, secret
      expect(a.filter((w) => w.startsWith('compare')).length).toBeGreaterThanOrEqual(3);
      expect(a).toEqual(b);
    } finally {
      patched.hash = original.hash;
      patched.timingSafeEqual = original.timingSafeEqual;
      syncBuiltinESMExports();
    }
  });
});

describe('the endpoint’s edges', () => {
  it.each(['GET', 'PUT', 'DELETE'])('%s /authorization/sso is 405 with Allow: POST', async (method) => {
    const res = await fetch(`${run.api}/authorization/sso`, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(await jsonOf(res)).toEqual({
      error: { code: 'method_not_allowed', message: expect.stringContaining('use POST') },
    });
  });
  it('an unknown path is 404 JSON', async () => {
    const res = await fetch(`${run.api}/authorization/nope`);
    expect(res.status).toBe(404);
    expect(await jsonOf(res)).toEqual({
      error: { code: 'not_found', message: 'no such endpoint: /authorization/nope' },
    });
  });
  it('audits issuances and refusals without keys or secrets in clear', async () => {
    await sso(helpdesk('ann@acme.test', { BotAPISecret: 'sec_wrong_value_123' }));
    const rows = run.store.db.prepare("SELECT * FROM audit_events WHERE kind = 'sso.token.issue'").all() as Array<
      Record<string, unknown>
    >;
    expect(rows.some((r) => r.outcome === 'ok')).toBe(true);
    const refused = rows.filter((r) => r.outcome === 'refused');
    expect(refused.map((r) => r.reason)).toEqual(
      expect.arrayContaining([
        'no bot of this account matches this BotAPIKey and BotAPISecret',
        'request body is over 16 KiB'.replace('request', 'the request'),
      ]),
    );
    const dump = JSON.stringify(rows);
    for (const secret of [keys.acme, keys.helpdesk.key, keys.helpdesk.secret, 'sec_wrong_value_123'])
      expect(dump).not.toContain(secret);
  });
});
