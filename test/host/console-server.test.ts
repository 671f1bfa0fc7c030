import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startConsoleServer, type ConsoleServer } from '../../src/main/host/console-server';
import { createDispatch } from '../../src/main/engine/dispatch';
import { createHandlers } from '../../src/main/engine/handlers';
import { closeServer } from '../../src/main/server/listen';
import { tempDir, testContext } from '../helpers';

const KEY = 'k'.repeat(43);
let t: ReturnType<typeof testContext>;
let server: ConsoleServer;
let web: ReturnType<typeof tempDir>;

beforeAll(async () => {
  t = testContext();
  web = tempDir();
  mkdirSync(join(web.dir, 'assets'));
  writeFileSync(join(web.dir, 'index.html'), '<!doctype html><title>SSO Desk</title>');
  writeFileSync(join(web.dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(t.dir, 'outside.txt'), 'secret outside the web root');
  server = await startConsoleServer({
    rendererDir: web.dir,
    dispatch: createDispatch(createHandlers(t.ctx), t.ctx.log),
    key: KEY,
    port: 0,
    log: t.ctx.log,
  });
});
afterAll(async () => {
  await closeServer(server.server);
  t.close();
  web.cleanup();
});

/** A raw HTTP request, so that Host and Origin can be set to anything. */
function call(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const url = new URL(server.origin);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
    (resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: url.port,
          path,
          method: opts.method ?? 'POST',
          headers: { host: url.host, ...opts.headers },
        },
        (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end(opts.body);
    },
  );
}

describe('browser host console server', () => {
  it('prints a console URL on 127.0.0.1 carrying the key in the fragment', () => {
    expect(server.consoleUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#key=k{43}$/);
  });

  it('answers a call with the right key, Host and Origin', async () => {
    const r = await call('/api/ipc/app.info', { headers: { 'x-sso-desk-key': KEY, origin: server.origin } });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { name: 'SSO Desk', dataDir: t.dir } });
  });

  it('refuses no key (401), a wrong key (401), a wrong Host (403) and a foreign Origin (403)', async () => {
    expect((await call('/api/ipc/app.info')).status).toBe(401);
    expect(JSON.parse((await call('/api/ipc/app.info')).body).error.code).toBe('no_key');
    expect((await call('/api/ipc/app.info', { headers: { 'x-sso-desk-key': 'x'.repeat(43) } })).status).toBe(401);
    const rebinding = await call('/api/ipc/app.info', { headers: { 'x-sso-desk-key': KEY, host: 'evil.example:80' } });
    expect(rebinding.status).toBe(403);
    expect(JSON.parse(rebinding.body).error.code).toBe('bad_host');
    const foreign = await call('/api/ipc/app.info', {
      headers: { 'x-sso-desk-key': KEY, origin: 'http://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).error.code).toBe('bad_origin');
  });

  it('gives malformed calls a 4xx or a typed error, never a 500', async () => {
    const h = { 'x-sso-desk-key': KEY };
    expect((await call('/api/ipc/app.info', { headers: h, body: '{not json' })).status).toBe(400);
    expect((await call('/api/ipc/app.info', { headers: h, method: 'GET' })).status).toBe(405);
    const escaped = (await call('/api/ipc/../../etc', { headers: h })).status;
    expect(escaped >= 400 && escaped < 500).toBe(true);
    const unknown = await call('/api/ipc/no.such', { headers: h, body: '{}' });
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    const bad = await call('/api/ipc/workspace.import', { headers: h, body: JSON.stringify({ text: 42 }) });
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'text' } });
  });

  it('serves the console with a strict CSP and never a file outside the web root', async () => {
    const index = await call('/', { method: 'GET' });
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    expect(index.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect((await call('/assets/app.js', { method: 'GET' })).body).toBe('console.log(1)');
    for (const path of ['/../outside.txt', '/%2e%2e/outside.txt', '/assets/..%2f..%2foutside.txt']) {
      const r = await call(path, { method: 'GET' });
      expect(r.body).not.toContain('secret outside');
    }
  });
});

describe('loopback API router', () => {
  it('answers a malformed percent-encoding in a pattern route with a 404, not a crash', async () => {
    const { createRouter } = await import('../../src/main/server/router');
    const { createServer } = await import('node:http');
    const { listenLoopback } = await import('../../src/main/server/listen');
    const srv = createServer(
      createRouter(
        [{ method: 'GET', path: /^\/items\/([^/]+)$/, handle: ({ res, params }) => void res.end(params[0]) }],
        () => {},
      ),
    );
    const base = await listenLoopback(srv, 0, 'test');
    try {
      expect(await (await fetch(`${base}/items/a%20b`)).text()).toBe('a b');
      const bad = await fetch(`${base}/items/%E0%A`);
      expect(bad.status).toBe(404);
      expect((await bad.json()).error.code).toBe('not_found');
    } finally {
      await closeServer(srv);
    }
  });
});

describe('request bodies', () => {
  it('a body over the limit gets its answer (413 by default), not a reset connection', async () => {
    const { createRouter } = await import('../../src/main/server/router');
    const { createServer } = await import('node:http');
    const { listenLoopback } = await import('../../src/main/server/listen');
    const { readJson, sendJson } = await import('../../src/main/server/http');
    const srv = createServer(
      createRouter(
        [
          {
            method: 'POST',
            path: '/echo',
            handle: async ({ req, res }) => sendJson(res, 200, await readJson(req, 1024)),
          },
        ],
        () => {},
      ),
    );
    const base = await listenLoopback(srv, 0, 'test');
    try {
      expect(await (await fetch(`${base}/echo`, { method: 'POST', body: '{"a":1}' })).json()).toEqual({ a: 1 });
      const big = await fetch(`${base}/echo`, { method: 'POST', body: JSON.stringify({ a: 'x'.repeat(4000) }) });
      expect(big.status).toBe(413);
      expect(await big.json()).toEqual({
        error: { code: 'body_too_large', message: 'the request body is over 1 KiB' },
      });
      expect((await fetch(`${base}/echo`, { method: 'POST', body: '  ' })).status).toBe(400);
    } finally {
      await closeServer(srv);
    }
  });
});
