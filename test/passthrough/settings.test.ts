import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { world, type World } from './helpers';
import { createDispatch, type Dispatch } from '../../src/main/engine/dispatch';
import { createHandlers } from '../../src/main/engine/handlers';
import { parseTemplate, validatePassthrough, type PassthroughDraft } from '../../src/shared/placeholders';
import { importWorkspace } from '../../src/main/engine/workspace/import';
import { WORKSPACE_FORMAT } from '../../src/shared/workspace';
import { queryAudit } from '../../src/main/store/audit';

const good: PassthroughDraft = {
  enabled: true,
  url: 'https://auth.example/login?org={{ORGID}}',
  method: 'POST',
  dataAs: 'json',
  authType: 'none',
  headers: [{ name: 'X-Device', value: '{{DEVICENAME}}' }],
  body: '{"user":"{{USEREMAIL}}","pass":"{{USERPASSWORD}}"}',
  forgotPasswordUrl: 'https://auth.example/forgot?u={{USEREMAIL}}',
  timeoutMs: 5000,
};

describe('the placeholder grammar', () => {
  it('parses text and placeholders', () => {
    expect(parseTemplate('a{{USEREMAIL}}b{{ORGID}}')).toEqual({
      ok: true,
      names: ['USEREMAIL', 'ORGID'],
      segments: [
        { kind: 'text', text: 'a' },
        { kind: 'placeholder', name: 'USEREMAIL' },
        { kind: 'text', text: 'b' },
        { kind: 'placeholder', name: 'ORGID' },
      ],
    });
  });
  it('refuses unknown, misspelt and unclosed placeholders', () => {
    expect(parseTemplate('{{USERNAME}}')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^unknown placeholder \{\{USERNAME\}\}/),
    });
    expect(parseTemplate('{{ useremail }}')).toMatchObject({
      ok: false,
      message: expect.stringContaining('(write {{USEREMAIL}})'),
    });
    expect(parseTemplate('x {{USEREMAIL')).toMatchObject({
      ok: false,
      message: expect.stringContaining('never closed'),
    });
  });
});

describe('validatePassthrough names the bad field', () => {
  const problem = (patch: Partial<PassthroughDraft>) => validatePassthrough({ ...good, ...patch })[0];
  it('accepts a good configuration', () => expect(validatePassthrough(good)).toEqual([]));
  it.each([
    [{ url: 'https://a.example/{{PASSWORD}}' }, 'url', /unknown placeholder \{\{PASSWORD\}\}/],
    [{ url: 'ftp://a.example/' }, 'url', /http:\/\/ or https:\/\//],
    [{ url: 'javascript:alert(1)' }, 'url', /http:\/\/ or https:\/\//],
    [{ url: 'https://{{ORGID}}.example/' }, 'url', /never in the host/],
    [{ url: 'https://u:p@a.example/' }, 'url', /not in the URL/],
    [{ url: '' }, 'url', /enter a URL/],
    [
      { forgotPasswordUrl: 'https://a.example/?p={{USERPASSWORD}}' },
      'forgotPasswordUrl',
      /never sent to the Forgot-password URL/,
    ],
    [{ forgotPasswordUrl: 'mailto:x@y' }, 'forgotPasswordUrl', /http/],
    [{ headers: [{ name: 'X Device', value: 'x' }] }, 'headers[0].name', /not a valid header name/],
    [
      {
        headers: [
          { name: 'X-Ok', value: 'x' },
          { name: 'X:Bad', value: 'x' },
        ],
      },
      'headers[1].name',
      /RFC 7230 token/,
    ],
    [{ headers: [{ name: 'Content-Type', value: 'text/plain' }] }, 'headers[0].name', /Content-Type follows Data As/],
    [{ headers: [{ name: 'X-A', value: '{{NOPE}}' }] }, 'headers[0].value', /unknown placeholder/],
    [{ headers: [{ name: 'X-A', value: 'a\r\nB: c' }] }, 'headers[0].value', /CR, LF or NUL/],
    [
      {
        headers: [
          { name: 'X-A', value: '1' },
          { name: 'x-a', value: '2' },
        ],
      },
      'headers[1].name',
      /twice/,
    ],
    [
      { authType: 'basic', headers: [{ name: 'Authorization', value: 'Bearer x' }] },
      'headers[0].name',
      /Basic auth builds/,
    ],
    [{ body: '{"user": {{USEREMAIL}}}' }, 'body', /inside a JSON string/],
    [{ body: '{"user": "{{USEREMAILS}}"}' }, 'body', /unknown placeholder/],
    [{ method: 'GET', body: 'x' }, 'body', /GET sends no body/],
    [{ timeoutMs: 60_000 }, 'timeoutMs', /30 seconds/],
  ] as Array<[Partial<PassthroughDraft>, string, RegExp]>)('%j → %s', (patch, field, message) => {
    const p = problem(patch);
    expect(p?.field).toBe(field);
    expect(p?.message).toMatch(message);
  });
});

describe('sso.passthrough.get / save', () => {
  let w: World;
  let dispatch: Dispatch;
  beforeAll(async () => {
    w = await world();
    dispatch = createDispatch(createHandlers(w.ctx), () => {});
  });
  afterAll(() => w.close());

  it('saves a valid configuration and reads it back with the placeholder reference', async () => {
    const saved = await dispatch('sso.passthrough.save', { account: 'initech', config: good });
    expect(saved).toMatchObject({ ok: true, value: { account: 'initech', config: good } });
    const got = (await dispatch('sso.passthrough.get', { account: 'initech' })) as {
      ok: true;
      value: { placeholders: Array<{ token: string }> };
    };
    expect(got.value.placeholders.map((p) => p.token).join(' ')).toBe(
      '{{USERID}} {{USEREMAIL}} {{USERPASSWORD}} {{USEREXTERNALID}} {{ORGID}} {{DEVICEOS}} {{DEVICENAME}} {{DEVICEIP}}',
    );
    expect(
      queryAudit(w.store.db, {}, { limit: 5 }).some((e) => e.kind === 'settings.change' && e.accountId === 'initech'),
    ).toBe(true);
  });

  it('refuses a bad field, names it, and saves nothing', async () => {
    const before = await dispatch('sso.passthrough.get', { account: 'initech' });
    const r = await dispatch('sso.passthrough.save', {
      account: 'initech',
      config: { ...good, enabled: false, headers: [{ name: 'Bad Name', value: 'x' }] },
    });
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        field: 'headers[0].name',
        message: expect.stringContaining('headers[0].name: "Bad Name" is not a valid header name'),
      },
    });
    expect(await dispatch('sso.passthrough.get', { account: 'initech' })).toEqual(before);
    expect(await dispatch('sso.passthrough.save', { account: 'nope', config: good })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(
      await dispatch('sso.passthrough.save', { account: 'initech', config: { ...good, timeoutMs: 31_000 } }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'config.timeoutMs' } });
  });

  it('workspace import uses the same validator and names the path', async () => {
    const ws = (passthrough: Record<string, unknown>) =>
      JSON.stringify({
        format: WORKSPACE_FORMAT,
        accounts: [
          { id: 'ok-1', name: 'Ok', plan: 'free' },
          {
            id: 'bad-1',
            name: 'Bad',
            plan: 'free',
            passthrough: { enabled: true, url: 'https://a.example/', ...passthrough },
          },
        ],
      });
    await expect(
      importWorkspace(w.store.db, w.ctx.platform.secrets, ws({ url: 'https://a.example/{{NOPE}}' })),
    ).rejects.toMatchObject({ field: 'accounts[1].passthrough.url' });
    await expect(
      importWorkspace(w.store.db, w.ctx.platform.secrets, ws({ headers: { 'X Bad': 'x' } })),
    ).rejects.toMatchObject({ field: 'accounts[1].passthrough.headers.X Bad' });
    await expect(
      importWorkspace(
        w.store.db,
        w.ctx.platform.secrets,
        ws({ forgotPasswordUrl: 'https://a.example/?p={{USERPASSWORD}}' }),
      ),
    ).rejects.toMatchObject({
      field: 'accounts[1].passthrough.forgotPasswordUrl',
      message: expect.stringContaining('accounts[1].passthrough.forgotPasswordUrl:'),
    });
    expect(w.store.db.prepare("SELECT count(*) AS n FROM accounts WHERE id IN ('ok-1','bad-1')").get()).toEqual({
      n: 0,
    });
  });
});
