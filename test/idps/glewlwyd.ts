import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { freePort } from './free-port';

/**
 * Glewlwyd, a third-party OpenID provider installed from Debian's packages (`apt-get install glewlwyd`),
 * started by the tests on 127.0.0.1 with a temp config and SQLite database. It behaves as a real IdP
 * does, not as our own embedded one: the redirect URI must match a registered one exactly (port
 * included), a confidential client may be limited to one token endpoint auth method, an unknown client
 * or redirect gets 403, and users sign in on its own login page (a React app).
 */
export const GLEWLWYD_BIN = '/usr/bin/glewlwyd';
const SQLITE_INIT = '/usr/share/dbconfig-common/data/glewlwyd/install/sqlite3';
const WEBAPP = '/usr/share/glewlwyd/webapp';
const MODULES = '/usr/lib/glewlwyd';
const ADMIN = { username: 'admin', password: 'password' };

/** Whether glewlwyd is installed here (`.ci/run` installs it; a bare dev machine may not have it). */
export const hasGlewlwyd = (): boolean => existsSync(GLEWLWYD_BIN) && existsSync(SQLITE_INIT) && existsSync(WEBAPP);

export interface GlewlwydClient {
  clientId: string;
  /** Exact strings glewlwyd compares the request's redirect_uri with. */
  redirectUris: string[];
  /** Set = confidential client with this secret; unset = public client (PKCE, no secret). */
  secret?: string;
  /** Limits the confidential client to these methods (glewlwyd's `token_endpoint_auth_method`). */
  authMethods?: Array<'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'client_secret_jwt'>;
  /** The client's public keys, for private_key_jwt. */
  jwks?: { keys: unknown[] };
}

export interface GlewlwydUser {
  username: string;
  password: string;
  email: string;
  name: string;
}

export interface Glewlwyd {
  /** The server's root, e.g. http://127.0.0.1:41234 */
  url: string;
  /** The OpenID issuer (the OIDC plugin's root). */
  issuer: string;
  addClient(c: GlewlwydClient): Promise<void>;
  addUser(u: GlewlwydUser): Promise<void>;
  /** The last lines of glewlwyd's log, for a failing test's message. */
  log(): string;
  stop(): Promise<void>;
}

const CONFIG = (port: number, dir: string): string => `
port=${port}
bind_address="127.0.0.1"
external_url="http://127.0.0.1:${port}"
login_url="login.html"
api_prefix="api"
static_files_path="${join(dir, 'webapp')}/"
allow_origin="*"
log_mode="console"
log_level="DEBUG"
cookie_secure=0
cookie_same_site="empty"
session_expiration=3600
session_key="GLEWLWYD2_SESSION_ID"
admin_session_authentication="cookie"
profile_session_authentication="cookie"
allow_multiple_user_per_session=true
login_api_enabled=true
admin_scope="g_admin"
profile_scope="g_profile"
user_module_path="${MODULES}/user"
client_module_path="${MODULES}/client"
user_auth_scheme_module_path="${MODULES}/scheme"
plugin_module_path="${MODULES}/plugin"
hash_algorithm="SHA512"
database = { type = "sqlite3"
  path = "${join(dir, 'glewlwyd.db')}" };
static_files_mime_types = (
  { extension = ".html"
    mime_type = "text/html" },
  { extension = ".css"
    mime_type = "text/css" },
  { extension = ".js"
    mime_type = "application/javascript" },
  { extension = ".json"
    mime_type = "application/json" },
  { extension = ".png"
    mime_type = "image/png" },
  { extension = ".ico"
    mime_type = "image/x-icon" },
  { extension = ".woff2"
    mime_type = "font/woff2" }
)
`;

/** The OIDC plugin's settings (docs: /usr/share/doc/glewlwyd/OIDC.md.gz), RS256-signed ID tokens. */
function oidcPlugin(issuer: string): Record<string, unknown> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    module: 'oidc',
    name: 'oidc',
    display_name: 'OpenID Connect',
    enabled: true,
    parameters: {
      iss: issuer,
      'jwt-type': 'rsa',
      'jwt-key-size': '256',
      key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
      cert: publicKey.export({ type: 'spki', format: 'pem' }),
      'access-token-duration': 3600,
      'refresh-token-duration': 1209600,
      'code-duration': 600,
      'refresh-token-rolling': true,
      'allow-non-oidc': false,
      'auth-type-code-enabled': true,
      'auth-type-token-enabled': false,
      'auth-type-id-token-enabled': true,
      'auth-type-none-enabled': false,
      'auth-type-password-enabled': false,
      'auth-type-client-enabled': false,
      'auth-type-refresh-enabled': true,
      scope: [],
      claims: [],
      'name-claim': 'on-demand',
      'email-claim': 'mandatory',
      'scope-claim': 'no',
      'jwks-show': true,
      'pkce-allowed': true,
      'pkce-method-plain-allowed': false,
      'client-jwks-parameter': 'jwks',
      'client-pubkey-parameter': '',
      'request-parameter-allow': true,
    },
  };
}

/**
 * Starts glewlwyd on a free loopback port: a fresh SQLite database from Debian's init script, the
 * web app (login page) served by glewlwyd itself, the OIDC plugin, and the scopes `email` and
 * `profile` beside `openid`, each needing the user's password.
 * @throws when glewlwyd is not installed or does not answer within 15 s.
 */
export async function startGlewlwyd(): Promise<Glewlwyd> {
  if (!hasGlewlwyd()) throw new Error('glewlwyd is not installed (apt-get install -y glewlwyd)');
  const dir = mkdtempSync(join(tmpdir(), 'sso-desk-glewlwyd-'));
  const db = new Database(join(dir, 'glewlwyd.db'));
  db.exec(readFileSync(SQLITE_INIT, 'utf8'));
  db.close();
  // The web app (login page) reads its settings from config.json, which Debian ships as a link to a
  // directory holding the real file; glewlwyd's file server does not follow links either. A copy of
  // the tree (2.6 MB) with the real config.json.
  cpSync(WEBAPP, join(dir, 'webapp'), {
    recursive: true,
    dereference: true,
    filter: (src) => src !== join(WEBAPP, 'config.json'),
  });
  const appConfig = statSync(join(WEBAPP, 'config.json')).isDirectory()
    ? join(WEBAPP, 'config.json', 'config.json')
    : join(WEBAPP, 'config.json');
  writeFileSync(join(dir, 'webapp', 'config.json'), readFileSync(appConfig));

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const issuer = `${url}/api/oidc`;
  writeFileSync(join(dir, 'glewlwyd.conf'), CONFIG(port, dir));
  const logFile = join(dir, 'glewlwyd.log');
  const out = createWriteStream(logFile);
  const child: ChildProcess = spawn(GLEWLWYD_BIN, ['-c', join(dir, 'glewlwyd.conf')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  const log = (): string => {
    try {
      return readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
    } catch {
      return '';
    }
  };
  let exited = false;
  child.on('exit', () => (exited = true));
  const stop = async (): Promise<void> => {
    if (!exited) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 3000))]);
      if (!exited) child.kill('SIGKILL');
    }
    out.end();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    for (let i = 0; ; i++) {
      if (exited) throw new Error(`glewlwyd exited at start:\n${log()}`);
      const up = await fetch(`${url}/config`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (i > 150) throw new Error(`glewlwyd did not answer on ${url} within 15 s:\n${log()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const cookie = await adminSession(url);
    const admin = async (method: string, path: string, body: unknown): Promise<void> => {
      const res = await fetch(`${url}/api${path}`, {
        method,
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`glewlwyd ${method} /api${path}: HTTP ${res.status} ${await res.text()}`);
    };
    await admin('POST', '/mod/plugin/', oidcPlugin(issuer));
    await admin('PUT', '/scope/openid', {
      name: 'openid',
      display_name: 'OpenID',
      description: 'OpenID Connect',
      password_required: true,
      password_max_age: 0,
      scheme: {},
    });
    for (const s of ['email', 'profile']) {
      await admin('POST', '/scope/', {
        name: s,
        display_name: s,
        description: s,
        password_required: true,
        password_max_age: 0,
        scheme: {},
      });
    }
    return {
      url,
      issuer,
      log,
      stop,
      addUser: (u) =>
        admin('POST', '/user/', {
          username: u.username,
          name: u.name,
          email: u.email,
          password: u.password,
          enabled: true,
          scope: ['openid', 'email', 'profile'],
        }),
      addClient: (c) =>
        admin('POST', '/client/', {
          client_id: c.clientId,
          name: c.clientId,
          enabled: true,
          confidential: c.secret !== undefined,
          ...(c.secret !== undefined ? { password: c.secret } : {}),
          redirect_uri: c.redirectUris,
          authorization_type: ['code', 'refresh_token'],
          scope: [],
          ...(c.authMethods ? { token_endpoint_auth_method: c.authMethods } : {}),
          ...(c.jwks ? { jwks: c.jwks } : {}),
        }),
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function adminSession(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (!res.ok) throw new Error(`glewlwyd admin login: HTTP ${res.status}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}
