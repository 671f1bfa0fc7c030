import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

/**
 * SimpleSAMLphp, a third-party SAML 2.0 IdP from Debian's packages (`apt-get install simplesamlphp
 * php-xml`), started by the tests on 127.0.0.1 with PHP's built-in server over its www dir and a
 * config dir of the test's own (SIMPLESAMLPHP_CONFIG_DIR): its own login page (exampleauth:UserPass),
 * its own signing key, the SP registered in saml20-sp-remote.php with an exact ACS URL, the email
 * as NameID (saml:AttributeNameID). It behaves as a real IdP: an unknown SP or ACS is refused.
 */
const WWW = '/usr/share/simplesamlphp/www';

/** Whether SimpleSAMLphp and PHP's DOM extension are here (`.ci/run` installs them). */
export const hasSimpleSamlPhp = (): boolean => {
  if (!existsSync(join(WWW, 'saml2/idp/SSOService.php')) || !existsSync('/usr/bin/php')) return false;
  try {
    return execFileSync('php', ['-m'], { encoding: 'utf8' }).split('\n').includes('dom');
  } catch {
    return false;
  }
};

export interface SspUser {
  username: string;
  password: string;
  email: string;
}

export interface SimpleSamlPhp {
  url: string;
  entityId: string;
  metadataUrl: string;
  ssoUrl: string;
  /** Registers an SP (entity ID → exact ACS URL); takes effect on the next request. */
  addSp(entityId: string, acsUrl: string): void;
  log(): string;
  stop(): Promise<void>;
}

const php = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export async function startSimpleSamlPhp(users: SspUser[]): Promise<SimpleSamlPhp> {
  const dir = mkdtempSync(join(tmpdir(), 'sso-desk-ssp-'));
  for (const d of ['config', 'metadata', 'cert', 'log', 'tmp']) mkdirSync(join(dir, d));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '30',
      '-subj',
      '/CN=SimpleSAMLphp test IdP',
      '-keyout',
      join(dir, 'cert/idp.key'),
      '-out',
      join(dir, 'cert/idp.crt'),
    ],
    { stdio: 'ignore' },
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(
    join(dir, 'config/config.php'),
    `<?php
$config = [
  'baseurlpath' => ${php(`${url}/`)},
  'certdir' => ${php(`${dir}/cert/`)},
  'loggingdir' => ${php(`${dir}/log/`)},
  'datadir' => ${php(`${dir}/tmp/`)},
  'tempdir' => ${php(`${dir}/tmp/`)},
  'metadatadir' => ${php(`${dir}/metadata/`)},
  'technicalcontact_name' => 'Test',
  'technicalcontact_email' => 'test@example.org',
  'timezone' => 'UTC',
  'secretsalt' => ${php(`salt-${Math.random().toString(36).slice(2)}-${Date.now()}`)},
  'auth.adminpassword' => ${php(`admin-${Math.random().toString(36).slice(2)}`)},
  'admin.protectindexpage' => true,
  'admin.protectmetadata' => false,
  'logging.level' => SimpleSAML\\Logger::INFO,
  'logging.handler' => 'file',
  'logging.logfile' => 'simplesamlphp.log',
  'enable.saml20-idp' => true,
  'module.enable' => ['exampleauth' => true, 'core' => true, 'saml' => true],
  'store.type' => 'phpsession',
  'session.phpsession.savepath' => ${php(`${dir}/tmp/`)},
  'session.cookie.secure' => false,
  'metadata.sources' => [['type' => 'flatfile']],
  'language.default' => 'en',
];
`,
  );
  writeFileSync(
    join(dir, 'config/authsources.php'),
    `<?php
$config = [
  'admin' => ['core:AdminPassword'],
  'example-userpass' => [
    'exampleauth:UserPass',
${users.map((u) => `    ${php(`${u.username}:${u.password}`)} => ['uid' => [${php(u.username)}], 'email' => [${php(u.email)}]],`).join('\n')}
  ],
];
`,
  );
  writeFileSync(
    join(dir, 'metadata/saml20-idp-hosted.php'),
    `<?php
$metadata['__DYNAMIC:1__'] = [
  'host' => '__DEFAULT__',
  'privatekey' => 'idp.key',
  'certificate' => 'idp.crt',
  'auth' => 'example-userpass',
  'signature.algorithm' => 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'saml20.sign.assertion' => true,
];
`,
  );
  const sps = new Map<string, string>();
  const writeSps = () =>
    writeFileSync(
      join(dir, 'metadata/saml20-sp-remote.php'),
      `<?php
${[...sps]
  .map(
    ([entityId, acs]) => `$metadata[${php(entityId)}] = [
  'AssertionConsumerService' => ${php(acs)},
  'NameIDFormat' => 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  'authproc' => [10 => ['class' => 'saml:AttributeNameID', 'attribute' => 'email', 'Format' => 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress']],
];`,
  )
  .join('\n')}
`,
    );
  writeSps();
  const child: ChildProcess = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', WWW], {
    env: { ...process.env, SIMPLESAMLPHP_CONFIG_DIR: join(dir, 'config') },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const metadataUrl = `${url}/saml2/idp/metadata.php`;
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(metadataUrl);
      if (r.ok && (await r.text()).includes('EntityDescriptor')) break;
    } catch {
      // Not listening yet.
    }
    if (i > 100) throw new Error('SimpleSAMLphp did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    entityId: metadataUrl,
    metadataUrl,
    ssoUrl: `${url}/saml2/idp/SSOService.php`,
    addSp(entityId, acs) {
      sps.set(entityId, acs);
      writeSps();
    },
    log: () => {
      try {
        return readFileSync(join(dir, 'log/simplesamlphp.log'), 'utf8').split('\n').slice(-30).join('\n');
      } catch {
        return '';
      }
    },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
