import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boot, type Booted } from '../../src/main/boot';
import { testPlatform } from '../helpers';
import { getPassthrough } from '../../src/main/store/sso-config';
import { post } from './helpers';
import { AUTH_TYPES, DATA_AS, HTTP_ACTIONS } from '../../src/shared/domain';
import { putPassthrough } from '../../src/main/store/sso-config';

describe('the demo world: globex signs in through the demo pass-through service', () => {
  let dir: string;
  let b: Booted;
  let password: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sso-desk-demo-'));
    b = await boot({ dataDir: dir, version: 'test', platform: (d) => testPlatform(d), log: () => {} });
    const creds = (await b.dispatch('workspace.demoCredentials', undefined)) as {
      ok: true;
      value: Array<{ kind: string; value: string }>;
    };
    password = creds.value.find((c) => c.kind === 'password')!.value;
  });
  afterAll(async () => {
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts the demo service and points globex at it', () => {
    expect(b.urls.passthrough).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/login$/);
    expect(getPassthrough(b.ctx.store.db, 'globex')).toMatchObject({
      enabled: true,
      url: b.urls.passthrough,
      method: 'POST',
      dataAs: 'json',
    });
  });

  it('logs erin in through POST /auth/login, and refuses a wrong password', async () => {
    const ok = await post(`${b.urls.api}/auth/login`, { email: 'erin@globex.test', password });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ method: 'passthrough', account: { id: 'globex', name: 'Globex Inc' } });
    const bad = await post(`${b.urls.api}/auth/login`, { email: 'erin@globex.test', password: 'nope' });
    expect(bad.status).toBe(401);
    expect(bad.json).toEqual({ error: { code: 'authentication_failed', message: 'Wrong email or password.' } });
    const audit = b.ctx.store.db
      .prepare("SELECT reason FROM audit_events WHERE kind = 'auth.login' ORDER BY id DESC LIMIT 1")
      .get() as { reason: string };
    expect(audit.reason).toContain('answered 401');
  });

  it('accepts every action × Data As × auth type', async () => {
    const db = b.ctx.store.db;
    const row = getPassthrough(db, 'globex')!;
    for (const method of HTTP_ACTIONS)
      for (const dataAs of DATA_AS)
        for (const authType of AUTH_TYPES) {
          // GET without Basic carries the credentials in the query, as such services do.
          const url =
            method === 'GET' && authType === 'none'
              ? `${row.url}?email={{USEREMAIL}}&password={{USERPASSWORD}}`
              : row.url;
          putPassthrough(db, { ...row, method, dataAs, authType, url });
          const r = await post(`${b.urls.api}/auth/login`, { email: 'frank@globex.test', password });
          expect(r.status, `${method} ${dataAs} ${authType}: ${JSON.stringify(r.json)}`).toBe(200);
        }
    putPassthrough(db, row);
  }, 90_000);

  it('the Simulator runs the same engine', async () => {
    const r = (await b.dispatch('simulate.passwordLogin', {
      email: 'dana@example.test',
      password,
      account: 'globex',
    })) as { ok: true; value: { outcome: string; trace: Array<{ step: string }> } };
    expect(r.value.outcome).toBe('authenticated');
    expect(r.value.trace.map((t) => t.step)).toContain('external answer');
  });
});
