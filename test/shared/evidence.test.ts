import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { toHar } from '../../src/shared/har';
import { toCurl } from '../../src/shared/curl';
import { displayUrl, redactHttp, redactUrl } from '../../src/shared/redact';
import type { TraceHttp, TraceRun } from '../../src/shared/trace';

const require = createRequire(import.meta.url);
const schemas = require('har-schema') as Record<string, { $id: string }>;

function harValidator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  addFormats(ajv);
  for (const s of Object.values(schemas)) ajv.addSchema(s);
  return ajv.getSchema('har.json#')!;
}

const PASSWORD = 'Hunter2!pässword';
const CLIENT_SECRET = 'cs_9f8e7d6c5b4a';
const TOKEN = 'tok_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
const basic = Buffer.from(`ann@acme.test:${PASSWORD}`).toString('base64');

const exchanges: TraceHttp[] = [
  {
    request: {
      method: 'POST',
      url: `https://auth.acme.test/login?user=ann&password=${encodeURIComponent(PASSWORD)}`,
      headers: [
        ['Authorization', `Basic ${basic}`],
        ['Content-Type', 'application/json'],
        ['Cookie', `sid=${TOKEN}`],
      ],
      body: JSON.stringify({ user: 'ann@acme.test', pass: PASSWORD, nested: { client_secret: CLIENT_SECRET } }),
    },
    response: {
      status: 401,
      statusText: 'Unauthorized',
      headers: [
        ['Set-Cookie', `sid=${TOKEN}; HttpOnly`],
        ['Content-Type', 'text/plain'],
      ],
      body: `bad password ${PASSWORD}`,
      truncated: false,
    },
    ms: 42.4,
  },
  {
    request: {
      method: 'POST',
      url: 'https://idp.acme.test/token',
      headers: [['Content-Type', 'application/x-www-form-urlencoded']],
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: 'code-123456',
        code_verifier: 'verifier-abcdef',
        client_secret: CLIENT_SECRET,
      }).toString(),
    },
    response: {
      status: 200,
      statusText: 'OK',
      headers: [['Content-Type', 'application/json']],
      body: JSON.stringify({ access_token: TOKEN, id_token: 'eyJ.header.sig', token_type: 'Bearer' }),
      truncated: false,
    },
    ms: 12,
  },
  {
    request: { method: 'GET', url: `http://127.0.0.1:4000/auth/sso/${TOKEN}/conversation`, headers: [], body: null },
    response: null,
    ms: 5000,
  },
];

const run: TraceRun = {
  startedAt: Date.parse('2026-11-25T10:00:00Z'),
  title: 'Login of ann@acme.test',
  steps: exchanges.map((http, i) => ({
    step: `step ${i}`,
    outcome: i === 1 ? 'ok' : 'fail',
    detail: 'what happened',
    atMs: i * 100,
    http,
  })),
};

const secretForms = [
  PASSWORD,
  encodeURIComponent(PASSWORD),
  basic,
  CLIENT_SECRET,
  TOKEN,
  'code-123456',
  'verifier-abcdef',
];

describe('evidence redaction', () => {
  it('no secret survives in a HAR file, in any form', () => {
    const har = JSON.stringify(toHar(run, '0.1.0', [PASSWORD]));
    for (const secret of secretForms) expect(har, secret).not.toContain(secret);
    expect(har).toContain('Basic ••••');
    expect(har).toContain('••••');
  });

  it('no secret survives in a curl command', () => {
    for (const http of exchanges) {
      const curl = toCurl(http, [PASSWORD]);
      for (const secret of secretForms) expect(curl, secret).not.toContain(secret);
    }
    expect(displayUrl(toCurl(exchanges[0]!, [PASSWORD]))).toMatch(
      /^curl -X POST 'https:\/\/auth\.acme\.test\/login\?user=ann&password=••••' -H 'Authorization: Basic ••••'/,
    );
  });

  it('keeps what is not secret, so the evidence still tells the story', () => {
    const r = redactHttp(exchanges[1]!);
    expect(r.request.body).toContain('grant_type=authorization_code');
    expect(r.response?.body).toContain('"token_type":"Bearer"');
    expect(displayUrl(redactUrl('https://idp.example/authorize?client_id=desk&state=abc&code=xyz'))).toBe(
      'https://idp.example/authorize?client_id=desk&state=abc&code=••••',
    );
    expect(displayUrl(redactUrl('https://ann:hunter2@idp.example/'))).toBe('https://ann:••••@idp.example/');
  });
});

describe('HAR export', () => {
  it('is valid against the HAR 1.2 schema', () => {
    const validate = harValidator();
    const har = toHar(run, '0.1.0', [PASSWORD]);
    const ok = validate(har);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(har.log.entries).toHaveLength(3);
    expect(har.log.entries[0]!.response.status).toBe(401);
    expect(har.log.entries[2]!.response.status).toBe(0);
  });

  it('a schema violation is caught (the validator is not a rubber stamp)', () => {
    const validate = harValidator();
    const har = toHar(run, '0.1.0') as unknown as { log: { entries: Array<{ request: { method?: string } }> } };
    delete har.log.entries[0]!.request.method;
    expect(validate(har)).toBe(false);
  });
});

describe('curl command', () => {
  it('quotes for the shell: the command runs and sends exactly the body', () => {
    const http: TraceHttp = {
      request: {
        method: 'POST',
        url: 'http://127.0.0.1:9/x',
        headers: [['X-Note', "it's $HOME `id`"]],
        body: `{"a":"it's; rm -rf / $(id)"}`,
      },
      response: null,
      ms: 0,
    };
    const curl = toCurl(http);
    // Ask the shell to print the arguments instead of running curl.
    const argv = spawnSync('sh', ['-c', `printf '%s\\n' ${curl.slice('curl '.length)}`], { encoding: 'utf8' })
      .stdout.trimEnd()
      .split('\n');
    expect(argv).toEqual([
      '-X',
      'POST',
      'http://127.0.0.1:9/x',
      '-H',
      "X-Note: it's $HOME `id`",
      '--data-raw',
      `{"a":"it's; rm -rf / $(id)"}`,
    ]);
  });
});
