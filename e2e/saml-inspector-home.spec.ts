import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { startHost, type RunningHost } from './host';
import { generateKeyAndCertificate } from '../src/main/engine/saml/certificates';
import { buildSamlResponse } from '../src/main/idp/saml-response';

/** Home lists a SAML certificate about to expire; Inspector › SAML checks a pasted response against it. */
let host: RunningHost;
const key = generateKeyAndCertificate('Expiring IdP', { days: 12 });
const ACS_PORT = 18766;

test.beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sso-desk-e2e-saml-'));
  const file = join(dir, 'acme.json');
  writeFileSync(
    file,
    JSON.stringify({
      format: 'sso-desk/workspace@1',
      accounts: [
        {
          id: 'acme',
          name: 'Acme Corp',
          plan: 'enterprise',
          packages: ['sso-login', 'enterprise-toolkit'],
          saml: {
            enabled: false,
            idp: {
              entityId: 'https://idp.expiring.example/',
              ssoUrl: 'https://idp.expiring.example/sso',
              certificates: [key.certPem],
            },
            acsPort: ACS_PORT,
          },
        },
      ],
      users: [{ email: 'ann@acme.test', name: 'Ann Lee', password: 'unused-local-password' }],
      memberships: [{ account: 'acme', email: 'ann@acme.test', role: 'owner' }],
    }),
  );
  host = await startHost(['--import', file]);
});
test.afterAll(async () => {
  await host?.stop();
});

test('Home: a SAML certificate that expires in 11–12 days needs attention', async ({ page }) => {
  await page.goto(host.ready.console);
  await expect(page.getByText(/SAML IdP certificate CN=Expiring IdP: expires in 1[12] days/)).toBeVisible();
});

test('Inspector › SAML: a pasted response decoded and checked against Acme’s certificates', async ({ page }) => {
  const xml = buildSamlResponse({
    issuer: 'https://idp.expiring.example/',
    destination: `http://127.0.0.1:${ACS_PORT}/saml/acs`,
    inResponseTo: '_req',
    audience: 'urn:sso-desk:sp:acme',
    nameId: 'ann@acme.test',
    privateKey: key.privatePem,
    certificate: key.certPem,
  });
  await page.goto(host.ready.console);
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await page.getByRole('button', { name: 'SAML' }).click();
  await page.getByLabel(/SAMLResponse or AuthnRequest/).fill(Buffer.from(xml).toString('base64'));
  await page.getByLabel('Check against the IdP certificates of').selectOption({ label: 'Acme Corp' });
  await page.getByRole('button', { name: 'Inspect' }).click();
  const result = page.getByRole('region', { name: 'SAML inspection' });
  await expect(result.getByRole('status')).toHaveText(/would be accepted for acme/);
  await expect(result.getByRole('list', { name: 'Checks' })).toContainText('signature: signature verified');
  await expect(result).toContainText('ann@acme.test');
});
