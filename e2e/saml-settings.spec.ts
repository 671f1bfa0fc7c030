import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { startHost, type RunningHost } from './host';

/** Settings › Security › SSO › SAML 2.0: the SP card to register, the presets' steps, axe. */
let host: RunningHost;
test.beforeEach(async () => {
  host = await startHost();
});
test.afterEach(async () => {
  await host.stop();
});

test('SAML 2.0 tab: the SP names to register, Okta and Entra ID steps in their words, Test connection of the demo IdP', async ({
  page,
}) => {
  await page.goto(host.ready.console);
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Security › SSO' }).click();
  await page.getByRole('tab', { name: 'SAML 2.0' }).click();
  const form = page.getByRole('form', { name: 'SAML 2.0 settings' });
  await expect(form.getByRole('note').first()).toContainText('OIDC SSO is on for Acme Corp');
  const sp = form.getByRole('region', { name: 'Register this at the IdP' });
  await expect(sp).toContainText('urn:sso-desk:sp:acme');
  await expect(sp).toContainText('http://127.0.0.1:8766/saml/acs');
  await expect(form.getByRole('list', { name: 'Saved IdP certificates' })).toContainText(/expires in \d+ days/);
  // The demo IdP's metadata offers HTTP-Redirect: that is how the AuthnRequest goes.
  await expect(form.getByText(/^Saved SSO URL http:\/\/127\.0\.0\.1:\d+\/saml\/sso; SSO Desk sends/)).toContainText(
    'SSO Desk sends the AuthnRequest by HTTP-Redirect.',
  );

  await form.getByLabel('Identity provider').selectOption({ label: 'Okta (SAML app)' });
  await expect(sp).toContainText('Audience URI (SP Entity ID)');
  await expect(form.getByRole('region', { name: 'In Okta (SAML app)' })).toContainText('Single sign-on URL');
  if (process.env.UPDATE_DOCS_IMG) await page.screenshot({ path: 'docs/img/saml-okta.png', fullPage: true });

  await form.getByLabel('Identity provider').selectOption({ label: 'Microsoft Entra ID (enterprise application)' });
  await expect(sp).toContainText('Identifier (Entity ID)');
  await expect(sp).toContainText('Reply URL (Assertion Consumer Service URL)');
  await expect(form.getByRole('region', { name: /In Microsoft Entra ID/ })).toContainText(
    'https://sts.windows.net/{tenant}/',
  );
  if (process.env.UPDATE_DOCS_IMG) await page.screenshot({ path: 'docs/img/saml-entra.png', fullPage: true });

  await form.getByLabel('Identity provider').selectOption({ label: 'Generic SAML 2.0' });
  await form.getByRole('button', { name: 'Test connection' }).click();
  const results = page.getByRole('region', { name: 'Test connection results' });
  await expect(results).toContainText(/expires in \d+ days/);
  await expect(results).toContainText('answers (HTTP');

  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});

test('SAML settings are a draft: the save bar says unsaved, Save answers beside it, a reload shows what was saved', async ({
  page,
}) => {
  await page.goto(host.ready.console);
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Security › SSO' }).click();
  await page.getByRole('tab', { name: 'SAML 2.0' }).click();
  const form = page.getByRole('form', { name: 'SAML 2.0 settings' });
  const skew = form.getByLabel('Clock skew allowed (seconds)');
  await expect(skew).not.toHaveValue('');
  const before = await skew.inputValue();
  const next = before === '90' ? '120' : '90';
  await skew.fill(next);
  const bar = page.getByRole('region', { name: 'Unsaved changes' });
  await expect(bar).toContainText('the SAML settings of Acme Corp');
  // Test sign-in uses the saved settings: it waits for Save or Discard.
  await expect(form.getByRole('region', { name: 'Test sign-in (SAML)' })).toContainText('Save or discard your changes');
  await bar.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('save-result')).toHaveText('Saved: SAML SSO is off for Acme Corp.');
  await expect(bar).toBeHidden();
  await page.reload();
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Security › SSO' }).click();
  await page.getByRole('tab', { name: 'SAML 2.0' }).click();
  await expect(
    page.getByRole('form', { name: 'SAML 2.0 settings' }).getByLabel('Clock skew allowed (seconds)'),
  ).toHaveValue(next);
});
