import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, post, service, world, type World } from '../passthrough/helpers';
import { createDispatch, type Dispatch } from '../../src/main/engine/dispatch';
import { createHandlers } from '../../src/main/engine/handlers';
import { redactHeaders, redactHttp } from '../../src/shared/redact';
import { Workspace } from '../../src/shared/workspace';

const KEY_VALUE = 'integration-key-Qz81-unique';
const TOKEN_VALUE = 'default-masked-Wr42-unique';

describe('secrets the admin types are treated as secrets', () => {
  let w: World;
  let svc: Awaited<ReturnType<typeof service>>;
  let dispatch: Dispatch;
  beforeAll(async () => {
    svc = await service((seen, res) => res.writeHead(seen.headers['x-custom'] === KEY_VALUE ? 200 : 401).end());
    w = await world({ passthroughUrl: `${svc.url}/login` });
    dispatch = createDispatch(createHandlers(w.ctx), () => {});
  });
  afterAll(async () => {
    await w.close();
    await svc.close();
  });
  const form = (url: string, headers: Array<{ name: string; value: string; secret?: boolean }>) => ({
    enabled: true,
    url,
    method: 'POST',
    dataAs: 'json',
    authType: 'none',
    headers,
    body: '',
    forgotPasswordUrl: '',
    timeoutMs: 2000,
  });

  it('a header marked secret, and X-Api-Key by its name, are masked in the trace and the audit like the password', async () => {
    const saved = await dispatch('sso.passthrough.save', {
      account: 'globex',
      config: form(`${svc.url}/login`, [
        { name: 'X-Custom', value: KEY_VALUE, secret: true },
        { name: 'X-Api-Key', value: TOKEN_VALUE },
        { name: 'X-Device', value: '{{DEVICENAME}}' },
      ]),
    });
    expect(saved).toMatchObject({
      ok: true,
      value: {
        config: {
          headers: [
            { name: 'X-Custom', secret: true },
            { name: 'X-Api-Key', secret: false },
            { name: 'X-Device', secret: false },
          ],
        },
      },
    });
    expect((await post(`${w.api}/auth/login`, { email: 'erin@globex.test', password: PASSWORD })).status).toBe(200);
    const sim = (await dispatch('simulate.passwordLogin', {
      email: 'erin@globex.test',
      password: PASSWORD,
      device: { name: 'desk-7' },
    })) as {
      ok: true;
      value: { trace: Array<{ http?: { request: { headers: string[][] } } }> };
    };
    const request = sim.value.trace.find((s) => s.http)!.http!.request;
    expect(request.headers).toContainEqual(['X-Custom', '••••']);
    expect(request.headers).toContainEqual(['X-Api-Key', '••••']);
    expect(request.headers).toContainEqual(['X-Device', 'desk-7']);
    const audit = JSON.stringify(w.store.db.prepare('SELECT reason, detail FROM audit_events').all());
    expect(audit).not.toContain(KEY_VALUE);
    expect(audit).not.toContain(TOKEN_VALUE);
  });

  it('Authorization, Cookie and names with key, token, secret or password are masked by default', () => {
    const out = redactHeaders([
      ['Authorization', 'Bearer abc'],
      ['Cookie', 'sid=1'],
      ['X-Api-Key', 'k'],
      ['X-Session-Token', 't'],
      ['X-Client-Secret', 's'],
      ['X-Password', 'p'],
      ['X-Device', 'd'],
    ]);
    expect(out).toEqual([
      ['Authorization', 'Bearer ••••'],
      ['Cookie', '••••'],
      ['X-Api-Key', '••••'],
      ['X-Session-Token', '••••'],
      ['X-Client-Secret', '••••'],
      ['X-Password', '••••'],
      ['X-Device', 'd'],
    ]);
    // The pass the HAR and curl exports make.
    const http = redactHttp({
      request: { method: 'POST', url: 'http://h/', headers: [['X-Api-Key', TOKEN_VALUE]], body: null },
      response: null,
      ms: 0,
    });
    expect(JSON.stringify(http)).not.toContain(TOKEN_VALUE);
  });

  it('a plain http:// URL to another host, or the password in the query, needs an explicit confirmation', async () => {
    for (const url of ['http://auth.example.com/login', `${svc.url}/login?pw={{USERPASSWORD}}`]) {
      const refused = await dispatch('sso.passthrough.save', { account: 'globex', config: form(url, []) });
      expect(refused).toMatchObject({
        ok: false,
        error: {
          code: 'confirmation_required',
          field: 'url',
          message: expect.stringMatching(/plain http:\/\/|query string/),
        },
      });
      const confirmed = (await dispatch('sso.passthrough.save', {
        account: 'globex',
        config: form(url, []),
        confirmInsecure: true,
      })) as { ok: true; value: { warnings: string[] } };
      expect(confirmed.ok).toBe(true);
      expect(confirmed.value.warnings).toHaveLength(1);
    }
    // https, and http to loopback, need nothing.
    expect(
      await dispatch('sso.passthrough.save', { account: 'globex', config: form('https://auth.example.com/login', []) }),
    ).toMatchObject({ ok: true, value: { warnings: [] } });
    expect(
      await dispatch('sso.passthrough.save', { account: 'globex', config: form(`${svc.url}/login`, []) }),
    ).toMatchObject({ ok: true });
  });

  it('imported API keys and secrets are at least 24 characters', () => {
    const base = {
      format: 'sso-desk/workspace@1',
      accounts: [{ id: 'a', name: 'A', plan: 'pro', apiKey: 'short-key-123' }],
    };
    const r = Workspace.safeParse(base);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]).toMatchObject({
      path: ['accounts', 0, 'apiKey'],
      message: 'an API key or secret has at least 24 characters',
    });
    expect(
      Workspace.safeParse({ ...base, accounts: [{ ...base.accounts[0], apiKey: 'acc_0123456789abcdefghijkl' }] })
        .success,
    ).toBe(true);
  });
});
