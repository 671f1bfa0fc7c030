import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { test, expect } from '@playwright/test';
import { startHost, type RunningHost } from './host';

const CA = readFileSync(new URL('../test/fixtures/tls/private-ca/ca.pem', import.meta.url), 'utf8');
const KEY = readFileSync(new URL('../test/fixtures/tls/private-ca/idp-key.pem', import.meta.url), 'utf8');

// A one-account workspace: the host boots without hashing the demo world's passwords.
let host: RunningHost;
test.beforeEach(async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'sso-desk-e2e-net-')), 'one.json');
  writeFileSync(
    file,
    JSON.stringify({
      format: 'sso-desk/workspace@1',
      accounts: [{ id: 'acme', name: 'Acme Corp', plan: 'enterprise' }],
    }),
  );
  host = await startHost(['--import', file]);
});
test.afterEach(async () => {
  await host.stop();
});

test('Settings › Network: a bad proxy or CA is named and nothing is saved; a good one is in force at once', async ({
  page,
}) => {
  // Generous: the machine is shared and axe takes a while under load; nothing here waits on a clock.
  test.setTimeout(180_000);
  await page.goto(host.ready.console);
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Network' }).click();
  const form = page.getByRole('form', { name: 'Network settings' });
  await expect(page.getByRole('definition').first()).toContainText('none');
  await expect(form.getByLabel('Bypass the proxy for')).toHaveValue('localhost, 127.0.0.1, [::1]');

  // Keyboard only: type a SOCKS proxy and save with Enter.
  await form.getByLabel('Proxy URL').fill('socks5://127.0.0.1:1080');
  await form.getByLabel('Proxy URL').press('Enter');
  // The error names the field by its label, never by an internal key.
  await expect(form.getByRole('alert')).toHaveText(
    'Proxy URL: a proxy URL must start with http:// or https://, not socks5://. Nothing was saved.',
  );
  await expect(form.getByLabel('Proxy URL')).toHaveAttribute('aria-invalid', 'true');

  await form.getByLabel('Proxy URL').fill('http://proxy.corp.example:3128');
  await form.getByLabel('Trusted CA certificates (PEM)').fill(KEY);
  await page.getByRole('region', { name: 'Unsaved changes' }).getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('alert')).toContainText(
    'Trusted CA certificates (PEM): this is a private key, not a certificate',
  );
  await expect(form.getByLabel('Trusted CA certificates (PEM)')).toHaveAttribute('aria-invalid', 'true');
  // Nothing was saved: a reload (after the browser's own question, answered yes) shows the old values.
  page.once('dialog', (d) => void d.accept());
  await page.reload();
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Network' }).click();
  await expect(form.getByLabel('Proxy URL')).toHaveValue('');

  await form.getByLabel('Proxy URL').fill('http://proxy.corp.example:3128');
  await form.getByLabel('Trusted CA certificates (PEM)').fill(CA);
  await expect(page.getByRole('region', { name: 'Unsaved changes' })).toContainText('the network settings');
  await page.getByRole('region', { name: 'Unsaved changes' }).getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('status')).toContainText('every outbound call uses it from now on');
  await expect(page.getByRole('list', { name: 'Trusted CA certificates' })).toContainText(
    'CN=SSO Desk Test Private CA',
  );
  await expect(page.getByLabel('Network in force')).toContainText('http://proxy.corp.example:3128 — set here');
  if (process.env.UPDATE_DOCS_IMG) await page.screenshot({ path: 'docs/img/settings-network.png', fullPage: true });

  const axe = await new AxeBuilder({ page }).include('section[aria-labelledby="network-title"]').analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});
