import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answer, PASSWORD, post, service, world, type World } from './helpers';
import { closeServer } from '../../src/main/server/listen';
import { configureAuth } from '../../src/main/engine/passthrough/service';
import { createDispatch } from '../../src/main/engine/dispatch';
import { createHandlers } from '../../src/main/engine/handlers';

const EMAIL = 'erin@globex.test';
const tls = {
  key: readFileSync(join(__dirname, '../fixtures/tls/key.pem')),
  cert: readFileSync(join(__dirname, '../fixtures/tls/cert.pem')),
};

async function tcp(onSocket: (s: import('node:net').Socket) => void): Promise<{ url: string; server: TcpServer }> {
  const server = createTcpServer(onSocket);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

describe('what the external service answers, and how the login reads it', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(() => w.close());

  const login = async (url: string, timeoutMs = 1000, extra: Record<string, unknown> = {}) => {
    w.setPassthrough({ url, timeoutMs, method: 'POST', dataAs: 'json', authType: 'none', headers: {}, body: '' });
    return post(`${w.api}/auth/login`, { email: EMAIL, password: PASSWORD, ...extra });
  };
  // The public answer of a failed login is "Wrong email or password."; the audit keeps the real reason.
  const message = (r: { status: number; json: Record<string, unknown> }) =>
    r.status === 401
      ? (
          w.store.db
            .prepare("SELECT reason FROM audit_events WHERE kind = 'auth.login' ORDER BY id DESC LIMIT 1")
            .get() as { reason: string }
        ).reason
      : (r.json.error as { message: string }).message;

  for (const [status, expected, code] of [
    [201, 401, 'authentication_failed'],
    [204, 401, 'authentication_failed'],
    [401, 401, 'authentication_failed'],
    [403, 401, 'authentication_failed'],
    [404, 401, 'authentication_failed'],
    [500, 502, 'external_auth_unavailable'],
    [503, 502, 'external_auth_unavailable'],
  ] as const) {
    it(`HTTP ${status} from the service fails the login (only exactly 200 authenticates)`, async () => {
      const s = await service(answer(status, status === 204 ? '' : '{"error":"nope"}'));
      const r = await login(`${s.url}/login`);
      await s.close();
      expect(r.status).toBe(expected);
      expect((r.json.error as { code: string }).code).toBe(code);
      if (expected === 401)
        expect(r.json).toEqual({ error: { code: 'authentication_failed', message: 'Wrong email or password.' } });
      expect(message(r)).toContain(`answered ${status}`);
    });
  }

  it('does not follow a redirect', async () => {
    const target = await service(answer(200));
    const s = await service(answer(302, '', { Location: `${target.url}/ok` }));
    const r = await login(`${s.url}/login`);
    expect(r.status).toBe(401);
    expect(message(r)).toMatch(
      /answered 302 Found, a redirect to http:\/\/127\.0\.0\.1:\d+\/ok; redirects are not followed/,
    );
    expect(target.seen).toHaveLength(0);
    await s.close();
    await target.close();
  });

  it('succeeds on a slow answer within the timeout', async () => {
    const s = await service(async (_seen, res) => {
      await new Promise((r) => setTimeout(r, 300));
      res.writeHead(200).end();
    });
    const r = await login(`${s.url}/login`, 2000);
    await s.close();
    expect(r.status).toBe(200);
  });

  it('times out on a service that never answers', async () => {
    const silent = await tcp(() => {});
    const t0 = Date.now();
    const r = await login(`${silent.url}/login`, 300);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.status).toBe(502);
    expect(message(r)).toContain('no answer within 0.3 s (timeout)');
    silent.server.close();
  });

  it('times out on an answer slower than the timeout', async () => {
    const s = await service(async (_seen, res) => {
      await new Promise((r) => setTimeout(r, 800));
      if (!res.destroyed) res.writeHead(200).end();
    });
    const r = await login(`${s.url}/login`, 200);
    expect(r.status).toBe(502);
    expect(message(r)).toContain('(timeout)');
    await s.close();
  });

  it('reports a refused connection', async () => {
    const s = await service(answer(200));
    const url = `${s.url}/login`;
    await s.close();
    const r = await login(url);
    expect(r.status).toBe(502);
    expect(message(r)).toContain('the connection was refused');
  });

  it('reports a malformed answer', async () => {
    const bad = await tcp((sock) => sock.once('data', () => sock.end('THIS IS NOT HTTP\r\n\r\n')));
    const r = await login(`${bad.url}/login`);
    expect(r.status).toBe(502);
    expect(message(r)).toContain('the answer is not valid HTTP');
    bad.server.close();
  });

  it('reports a connection closed without an answer', async () => {
    const rude = await tcp((sock) => sock.once('data', () => sock.destroy()));
    const r = await login(`${rude.url}/login`);
    expect(r.status).toBe(502);
    expect(message(r)).toContain('closed the connection without answering');
    rude.server.close();
  });

  it('reports a TLS error for an untrusted certificate, and works once its CA is trusted', async () => {
    const server = createHttpsServer(tls, (_req, res) => res.writeHead(200).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `https://127.0.0.1:${(server.address() as { port: number }).port}/login`;
    const r = await login(url);
    expect(r.status).toBe(502);
    expect(message(r)).toMatch(/TLS handshake failed \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/);
    configureAuth(w.ctx, { ca: tls.cert.toString(), sleep: async () => {} });
    expect((await login(url)).status).toBe(200);
    configureAuth(w.ctx, { sleep: async () => {} });
    await closeServer(server);
  });

  describe('header injection', () => {
    it('a CR/LF in a device name never reaches a header: the attempt fails, nothing is sent', async () => {
      const s = await service(answer(200));
      w.setPassthrough({ url: `${s.url}/login`, headers: { 'X-Device': '{{DEVICENAME}}' } });
      for (const name of ['evil\r\nX-Admin: 1', 'evil\nX-Admin: 1', 'evil\rx', 'nul\0byte']) {
        const r = await post(`${w.api}/auth/login`, { email: EMAIL, password: PASSWORD, device: { name } });
        expect(r.status).toBe(400);
        expect(r.json.error).toMatchObject({ code: 'unsafe_value' });
        expect(message(r)).toContain('the value of {{DEVICENAME}} in header X-Device contains CR, LF or NUL');
      }
      expect(s.seen).toHaveLength(0);
      await s.close();
    });

    it('a password with CR/LF in a header fails without echoing it', async () => {
      const s = await service(answer(200));
      w.setPassthrough({ url: `${s.url}/login`, headers: { 'X-Pass': '{{USERPASSWORD}}' } });
      const r = await post(`${w.api}/auth/login`, { email: EMAIL, password: 'abc\r\nX-Injected: yes' });
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.json)).not.toContain('X-Injected');
      expect(s.seen).toHaveLength(0);
      w.setPassthrough({ headers: {} });
      await s.close();
    });

    it('a CR/LF in a JSON, form or XML body stays inside its value', async () => {
      const s = await service(answer(200));
      for (const dataAs of ['json', 'urlencoded', 'xml'] as const) {
        w.setPassthrough({ url: `${s.url}/login`, dataAs, headers: {}, body: '' });
        expect(
          (await post(`${w.api}/auth/login`, { email: EMAIL, password: 'a\r\nContent-Length: 0\r\n\r\n' })).status,
        ).toBe(200);
        expect(s.seen.at(-1)!.headers['content-length']).not.toBe('0');
      }
      await s.close();
    });
  });

  it('the Simulator shows the same outcome with the redacted trace, step by step', async () => {
    const s = await service(answer(401, `{"error":"bad password ${PASSWORD}"}`, { 'Set-Cookie': 'sid=abc' }));
    w.setPassthrough({
      url: `${s.url}/login?p={{USERPASSWORD}}`,
      dataAs: 'json',
      authType: 'basic',
      headers: { 'X-P': 'x{{USERPASSWORD}}x' },
      body: '',
    });
    const dispatch = createDispatch(createHandlers(w.ctx), () => {});
    const r = await dispatch('simulate.passwordLogin', {
      email: EMAIL,
      password: PASSWORD,
      device: { os: 'Linux', name: 'desk' },
    });
    await s.close();
    expect(r.ok).toBe(true);
    const v = (
      r as {
        ok: true;
        value: {
          outcome: string;
          status: number;
          trace: Array<{
            step: string;
            outcome: string;
            http?: {
              request: { url: string; headers: string[][]; body: string };
              response: { body: string; headers: string[][] };
            };
          }>;
        };
      }
    ).value;
    expect(v).toMatchObject({ outcome: 'failed', status: 401 });
    expect(v.trace.map((t) => t.step)).toEqual([
      'throttle',
      'policy',
      'account',
      'method',
      'external request',
      'external answer',
    ]);
    const http = v.trace.at(-1)!.http!;
    expect(http.request.url).toMatch(/\/login\?p=••••$/);
    expect(http.request.headers).toContainEqual(['X-P', 'x••••x']);
    expect(http.request.headers).toContainEqual(['Authorization', 'Basic ••••']);
    expect(JSON.parse(http.request.body)).toEqual({ email: EMAIL, password: '••••' });
    expect(http.response.body).toBe('{"error":"bad password ••••"}');
    expect(http.response.headers).toContainEqual(['Set-Cookie', '••••']);
    expect(JSON.stringify(v)).not.toContain(PASSWORD);
    w.setPassthrough({ headers: {}, authType: 'none' });
  });
});
