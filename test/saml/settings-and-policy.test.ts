import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { IDP_ENTITY_ID, samlWorld, testIdpKey } from './helpers';
import { decidePassword, decide } from '../../src/main/engine/policy';
import { queryAudit } from '../../src/main/store/audit';
import { oidcEngineFor } from '../../src/main/engine/oidc/engine';
import { exportWorkspace } from '../../src/main/engine/workspace/export';
import { importWorkspace } from '../../src/main/engine/workspace/import';
import { testContext } from '../helpers';
import { generateKeyAndCertificate } from '../../src/main/engine/saml/certificates';
import { DeskError } from '../../src/shared/errors';

type World = Awaited<ReturnType<typeof samlWorld>>;
let w: World;
let metadataServer: Server;
let metadataUrl = '';

const metadata = (cert: string, entityId = IDP_ENTITY_ID) =>
  `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${entityId}"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${cert.replace(/-----[A-Z ]+-----|\s/g, '')}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="http://127.0.0.1:1/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>`;

beforeAll(async () => {
  w = await samlWorld();
  metadataServer = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/samlmetadata+xml' });
    res.end(metadata(testIdpKey().certPem, 'https://idp-by-url.example/'));
  });
  await new Promise<void>((r) => metadataServer.listen(0, '127.0.0.1', () => r()));
  metadataUrl = `http://127.0.0.1:${(metadataServer.address() as { port: number }).port}/metadata`;
});
afterAll(async () => {
  metadataServer.close();
  await w.close();
});

const draft = { account: 'acme', enabled: false, preset: 'generic' as const, actor: 'test' };

describe('SAML SSO goes through the same policy as OIDC', () => {
  it('refuses password login and reset for Acme while SAML is on, and says SAML', () => {
    const login = decidePassword(w.store.db, 'bob@acme.test', 'acme');
    expect(login).toMatchObject({ allowed: false, code: 'sso_enforced' });
    expect(login.reason).toMatch(
      /password refused for Acme Corp — SSO \(SAML 2\.0\) enforced since .* by test; use "Sign in with SSO"/,
    );
    expect(decidePassword(w.store.db, 'bob@acme.test', 'acme', 'reset').reason).toMatch(/password reset refused/);
    const v = decide(w.store.db, 'bob@acme.test');
    expect(v.kind === 'decided' && v.accounts[0]).toMatchObject({ ssoEnabled: true, protocol: 'saml' });
  });

  it('refuses a deactivated member before the IdP is visited', async () => {
    await expect(w.flows.start('carol@acme.test')).rejects.toMatchObject({ code: 'deactivated' });
  });

  it('an account has OIDC or SAML on, not both', async () => {
    expect(() =>
      oidcEngineFor(w.ctx).save({
        account: 'acme',
        enabled: true,
        preset: 'generic',
        presetParams: {},
        issuer: 'https://op.example',
        clientId: 'x',
        clearClientSecret: false,
        scopes: ['openid'],
        redirectHost: '127.0.0.1',
        actor: 'test',
      }),
    ).toThrow(/SAML SSO is on for Acme Corp: an account uses OIDC or SAML, not both/);
  });

  it('switching SAML on needs a passing Test connection of exactly these settings (guarded save)', async () => {
    await w.engine.save({ ...draft, enabled: false });
    const error = await w.engine.saveChecked({ ...draft, enabled: true }).catch((e: DeskError) => e);
    expect(error).toMatchObject({ code: 'sso_enable_untested', field: 'enabled' });
    expect(w.engine.get('acme').enabled).toBe(false);
    const report = await w.engine.test({ account: 'acme', preset: 'generic', timeoutMs: 2000 });
    // The SSO URL of the test IdP does not answer: the test fails, and so does switch-on.
    expect(report.ok).toBe(false);
    expect(report.findings.find((f) => f.check === 'sso url')?.message).toMatch(/does not answer from this computer/);
    await expect(w.engine.saveChecked({ ...draft, enabled: true })).rejects.toMatchObject({
      code: 'sso_enable_untested',
    });
    // Owner break-glass is the account's, whichever protocol.
    await w.engine.save({ ...draft, enabled: true });
    // The audit says what the save did, in words.
    const lastSave = () =>
      queryAudit(w.store.db, { accountId: 'acme' }, { limit: 20 }).find((e) => e.kind === 'sso.saml.save')!.reason;
    expect(lastSave()).toBe('SAML SSO switched on (enabled)');
    await w.engine.save({ ...draft, enabled: false });
    expect(lastSave()).toBe('SAML SSO switched off — password login restored (enabled)');
    await w.engine.save({ ...draft, enabled: false });
    expect(lastSave()).toBe('SAML settings saved');
  });

  it('while SAML SSO is on, an edit is guarded too, in words that say it stays on; a new SP key is refused', async () => {
    await w.engine.save({ ...draft, enabled: true });
    const skew = w.engine.get('acme').clockSkewSeconds;
    const edit = { ...draft, enabled: true, clockSkewSeconds: skew === 90 ? 120 : 90 };
    const untested = await w.engine.saveChecked(edit).catch((e: DeskError) => e);
    expect(untested).toMatchObject({ code: 'sso_edit_untested', field: 'enabled' });
    expect((untested as DeskError).message).toMatch(
      /^Not saved: SAML SSO is on.*run Test connection on exactly these settings first\. SAML SSO stays on for Acme Corp with the saved settings; nothing was saved\.$/,
    );
    // The test IdP's SSO URL does not answer: a failed test is named as the reason.
    await w.engine.test({ ...edit, timeoutMs: 2000 });
    await expect(w.engine.saveChecked(edit)).rejects.toThrow(/the Test connection of these settings failed/);
    const key = await w.engine.saveChecked({ ...draft, enabled: true, newSpKey: true }).catch((e: DeskError) => e);
    expect(key).toMatchObject({ code: 'sso_edit_untested', field: 'newSpKey' });
    expect((key as DeskError).message).toContain('while the IdP still encrypts assertions to the certificate it has');
    expect(w.engine.get('acme')).toMatchObject({ enabled: true, clockSkewSeconds: skew });
    await w.engine.save({ ...draft, enabled: false });
  });

  it('names the field of bad input and saves nothing: not XML, no certificate, billion laughs, expired, port', async () => {
    const before = w.engine.get('acme');
    const bad = async (extra: object, field: string, message: RegExp) => {
      const e = (await w.engine.save({ ...draft, enabled: true, ...extra }).catch((x: DeskError) => x)) as DeskError;
      expect(e).toBeInstanceOf(DeskError);
      expect(e.field).toBe(field);
      expect(e.message).toMatch(message);
      expect(e.message).toMatch(/Nothing was saved/);
    };
    await bad(
      { idpMetadataXml: 'this is not xml' },
      'idpMetadataXml',
      /not well-formed XML \(it has no root element\)/,
    );
    // An element left open: xmldom only warns ("unclosed xml attribute"); the admin reads what and where.
    await bad(
      { idpMetadataXml: metadata(testIdpKey().certPem).replace('</md:IDPSSODescriptor>', '') },
      'idpMetadataXml',
      /the IdP metadata is not well-formed XML \(an element is not closed near line \d+, column \d+\)/,
    );
    await bad(
      { idpMetadataXml: metadata(testIdpKey().certPem).replace(/<md:KeyDescriptor[\s\S]*<\/md:KeyDescriptor>/, '') },
      'idpMetadataXml',
      /lists no signing certificate/,
    );
    await bad(
      {
        idpMetadataXml: `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;">]><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="&lol1;"/>`,
      },
      'idpMetadataXml',
      /DOCTYPE or entities; refused \(no entity expansion\)/,
    );
    const expired = generateKeyAndCertificate('Old IdP', { now: Date.now() - 400 * 86_400_000, days: 30 });
    await bad({ idpMetadataXml: metadata(expired.certPem) }, 'idp.certificates.0', /expired on/);
    await bad({ acsPort: 80 }, 'acsPort', /from 1024 to 65535/);
    await bad(
      { idp: { entityId: '', ssoUrl: 'ftp://x', certificates: ['nope'] } },
      'idp.certificates.0',
      /not a PEM certificate/,
    );
    expect(w.engine.get('acme')).toEqual(before);
  });

  it('imports IdP metadata by URL: entity ID, SSO URL and certificates', async () => {
    const v = await w.engine.save({ ...draft, enabled: true, idpMetadataUrl: metadataUrl });
    expect(v.idp.entityId).toBe('https://idp-by-url.example/');
    expect(v.idp.ssoUrl).toBe('http://127.0.0.1:1/sso');
    expect(v.idp.certificates).toHaveLength(1);
    expect(v.idp.certificates[0]!.expiry).toMatch(/^expires in \d+ days/);
    expect(v.idpMetadataSet).toBe(true);
    expect(v.sp).toMatchObject({ entityId: 'urn:sso-desk:sp:acme', acsUrl: `http://127.0.0.1:${w.port}/saml/acs` });
    // Back to the test IdP.
    await w.engine.save({
      ...draft,
      enabled: true,
      idp: {
        entityId: IDP_ENTITY_ID,
        ssoUrl: 'https://idp.saml-test.example/sso',
        certificates: [testIdpKey().certPem],
      },
    });
  });

  it('SP metadata names the entity ID, the ACS (HTTP-POST) and, with an SP key, its encryption certificate', async () => {
    const v = await w.engine.save({ ...draft, enabled: true, newSpKey: true });
    expect(v.sp.keySet).toBe(true);
    const m = w.engine.metadata('acme');
    expect(m.fileName).toBe('sso-desk-acme-sp-metadata.xml');
    expect(m.xml).toContain('entityID="urn:sso-desk:sp:acme"');
    expect(m.xml).toContain(`Location="http://127.0.0.1:${w.port}/saml/acs"`);
    expect(m.xml).toContain('urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
    expect(m.xml).toContain('use="encryption"');
    // The private key never leaves: the view has the certificate only.
    expect(JSON.stringify(v)).not.toContain('PRIVATE KEY');
  });
});

describe('workspace files carry SAML settings', () => {
  it('export → import round-trips; the SP private key only with "include secrets"', async () => {
    await w.engine.save({ ...draft, enabled: true, newSpKey: true });
    const plain = await exportWorkspace(w.store.db, w.ctx.platform.secrets, { now: Date.now(), version: 't' });
    const acme = plain.accounts.find((a) => a.id === 'acme')!;
    expect(acme.saml).toMatchObject({
      enabled: true,
      idp: { entityId: IDP_ENTITY_ID, certificates: [expect.stringContaining('-----BEGIN CERTIFICATE-----')] },
      acsPort: w.port,
      userAttribute: 'nameid',
      allowIdpInitiated: false,
    });
    expect(JSON.stringify(plain)).not.toContain('PRIVATE KEY');
    expect(plain.exported!.leftOut.join('\n')).toMatch(/SAML SP private keys/);

    const withSecrets = await exportWorkspace(w.store.db, w.ctx.platform.secrets, {
      now: Date.now(),
      version: 't',
      passphrase: 'a long passphrase',
    });
    const t = testContext();
    try {
      await importWorkspace(t.store.db, t.ctx.platform.secrets, withSecrets, { passphrase: 'a long passphrase' });
      const again = await exportWorkspace(t.store.db, t.ctx.platform.secrets, { now: Date.now(), version: 't' });
      expect(again.accounts.find((a) => a.id === 'acme')!.saml).toEqual(acme.saml);
      const { samlEngineFor } = await import('../../src/main/engine/saml/engine');
      expect(samlEngineFor(t.ctx).get('acme').sp.keySet).toBe(true);
    } finally {
      t.close();
    }
  });

  it('refuses a file with OIDC and SAML both on, naming the path', async () => {
    const t = testContext();
    try {
      const e = await importWorkspace(t.store.db, t.ctx.platform.secrets, {
        format: 'sso-desk/workspace@1',
        accounts: [
          {
            id: 'x',
            name: 'X',
            plan: 'enterprise',
            packages: [],
            embeddable: false,
            oidc: {
              enabled: true,
              preset: 'generic',
              issuer: 'https://op.example',
              clientId: 'c',
              scopes: ['openid'],
              redirectPort: null,
              clientAuth: 'auto',
              userClaim: 'email',
            },
            saml: {
              enabled: true,
              preset: 'generic',
              idp: { entityId: 'e', ssoUrl: 'https://idp.example/sso', certificates: [testIdpKey().certPem] },
              acsPort: 8766,
              nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
              userAttribute: 'nameid',
              allowIdpInitiated: false,
              clockSkewSeconds: 120,
              allowSha1: false,
            },
          },
        ],
        users: [],
        memberships: [],
        bots: [],
      }).catch((x: DeskError) => x);
      expect(e).toMatchObject({ field: 'accounts[0].saml.enabled' });
    } finally {
      t.close();
    }
  });
});
