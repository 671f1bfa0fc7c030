import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDispatch } from '../../src/main/engine/dispatch';
import { createHandlers } from '../../src/main/engine/handlers';
import { listChannels } from '../../src/shared/contract';
import { testContext } from '../helpers';
import { makeKey, signToken } from '../engine/inspect/keys';
import { post, world, type World } from '../passthrough/helpers';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const deep = (n: number): unknown => {
  let v: unknown = 'x';
  for (let i = 0; i < n; i++) v = { a: v };
  return v;
};

describe('inspect.token never crashes on a hostile token', () => {
  let t: ReturnType<typeof testContext>;
  beforeEach(() => (t = testContext()));
  afterEach(() => t.close());

  it('exp and nbf outside the Date range are results, not internal errors', async () => {
    const key = await makeKey('ES256', 'k1');
    const dispatch = createDispatch(createHandlers(t.ctx), t.ctx.log);
    const jwks = JSON.stringify({ keys: [key.publicJwk] });
    for (const claims of [{ exp: 1e300 }, { nbf: -1e300 }, { exp: 8.64e15 }, { iat: 1e20, auth_time: -1e20 }]) {
      const token = await signToken(key, claims);
      for (const input of [{ token }, { token, key: { source: 'jwks', jwks } }]) {
        const r = await dispatch('inspect.token', input);
        expect(r.ok, JSON.stringify(claims)).toBe(true);
      }
    }
    const r = (await dispatch('inspect.token', {
      token: await signToken(key, { exp: 1e300 }),
      key: { source: 'jwks', jwks },
    })) as { ok: true; value: { verification: { status: string; reason: string } } };
    expect(r.value.verification.status).toBe('failed');
  });

  it('claims nested thousands deep are a result, not a crash', async () => {
    const dispatch = createDispatch(createHandlers(t.ctx), t.ctx.log);
    const token = `${b64({ alg: 'ES256', typ: 'JWT' })}.${Buffer.from(`{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`).toString('base64url')}.c2ln`;
    const r = await dispatch('inspect.token', { token });
    expect(r.ok).toBe(true);
  });

  it('a crit header is the token’s fault, not the key’s', async () => {
    const key = await makeKey('ES256', 'k1');
    const dispatch = createDispatch(createHandlers(t.ctx), t.ctx.log);
    const { SignJWT } = await import('jose');
    const token = await new SignJWT({ sub: 'u' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1', crit: ['x-unknown'], 'x-unknown': 1 })
      .sign(key.privateKey, { crit: { 'x-unknown': true } });
    const r = (await dispatch('inspect.token', {
      token,
      key: { source: 'jwks', jwks: JSON.stringify({ keys: [key.publicJwk] }) },
    })) as {
      ok: true;
      value: {
        verification: { status: string; reason: string; checks: Array<{ id: string; ok: boolean; detail: string }> };
      };
    };
    expect(r.value.verification.status).toBe('failed');
    const failed = r.value.verification.checks.find((c) => !c.ok)!;
    expect(failed.id).toBe('crit');
    expect(failed.detail).toContain('The token is at fault, not the chosen key');
    expect(r.value.verification.checks.map((c) => c.id)).not.toContain('key');
  });
});

describe('no 5xx from any input', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(() => w.close());

  it('a lone surrogate in the password is a 400 naming the field, on the API and on the channel', async () => {
    const r = await post(`${w.api}/auth/login`, '{"email":"ivan@initech.test","password":"\\ud800"}');
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: { code: 'invalid_input', message: expect.stringContaining('password') } });
    const forgot = await post(`${w.api}/auth/password/forgot`, '{"email":"iv\\udc00an@initech.test"}');
    expect(forgot.status).toBe(400);
    expect(forgot.json).toMatchObject({ error: { message: expect.stringContaining('email') } });
    const dispatch = createDispatch(createHandlers(w.ctx), () => {});
    expect(await dispatch('simulate.passwordLogin', { email: 'ivan@initech.test', password: '\ud800' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'password' },
    });
  });

  it('CR/LF/NUL in an email, huge values, deep nesting and out-of-range numbers are 4xx', async () => {
    const bodies = [
      { email: 'ivan@initech.test\r\nX-Forged: 1', password: 'x' },
      { email: 'ivan\u0000@initech.test', password: 'x' },
      { email: 'ivan@initech.test', password: 'x'.repeat(10_000) },
      { email: 'ivan@initech.test', password: 'x', device: deep(100) },
      { email: 'ivan@initech.test', password: 'x', account: Number.MAX_VALUE * 10 },
    ];
    for (const body of bodies) {
      const r = await post(`${w.api}/auth/login`, body);
      expect(r.status, JSON.stringify(body).slice(0, 80)).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
    }
    const nested = await post(
      `${w.api}/auth/login`,
      `{"email":"a@b.c","password":"x","device":${'['.repeat(3000)}${']'.repeat(3000)}}`,
    );
    expect(nested.status).toBe(400);
    expect(nested.json).toMatchObject({
      error: { code: 'invalid_input', message: expect.stringContaining('nested more than 32 levels') },
    });
    const longer = await post(
      `${w.api}/auth/login`,
      `{"email":"a@b.c","password":"x","device":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    );
    expect(longer.status).toBe(413);
    const huge = await post(`${w.api}/auth/login`, { email: 'a@b.c', password: 'x'.repeat(100_000) });
    expect(huge.status).toBeGreaterThanOrEqual(400);
    expect(huge.status).toBeLessThan(500);
  });

  it('every contract channel answers hostile input with a typed error, never internal', async () => {
    const dispatch = createDispatch(createHandlers(w.ctx), () => {});
    const hostile: unknown[] = [
      undefined,
      null,
      'x',
      -1,
      1e308,
      [],
      {},
      deep(5000),
      { a: '\ud800' },
      '\u0000\r\n',
      { email: '\ud800', password: '\udfff' },
      'x'.repeat(1_000_000),
    ];
    for (const [name] of listChannels()) {
      for (const [i, input] of hostile.entries()) {
        const r = await dispatch(name, input);
        if (!r.ok) expect(r.error.code, `${name} with hostile input #${i}`).not.toBe('internal');
      }
    }
  }, 120_000);

  it('log lines escape control characters: an input cannot forge a line', async () => {
    const { boot } = await import('../../src/main/boot');
    const { testPlatform } = await import('../helpers');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'sso-desk-log-'));
    const lines: string[] = [];
    const b = await boot({
      dataDir: dir,
      version: 'test',
      platform: (d) => testPlatform(d),
      log: (l) => lines.push(l),
    });
    try {
      await post(`${b.urls.api}/auth/login`, {
        email: 'dana@example.test',
        password: 'x',
        account: 'initech\r\n2026-11-25 auth.login admin@acme.test authenticated',
      });
      const line = lines.find((l) => l.includes('2026-11-25 auth.login admin'))!;
      expect(line).toContain('initech\\r\\n2026-11-25');
      for (const l of lines) expect(/[\r\n]/.test(l) || l.includes(String.fromCharCode(0))).toBe(false);
    } finally {
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
