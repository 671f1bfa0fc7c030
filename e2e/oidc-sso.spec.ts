import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { startHost, type RunningHost } from './host';

/**
 * The account picker needs a user in two accounts that both enforce SSO. In the demo world Dana is
 * in Acme (Enterprise) and Globex (Pro), and SSO needs the Enterprise plan, so this spec imports a
 * workspace where both accounts are on Enterprise (--import: what a support person does to
 * reproduce a customer) and then switches SSO on for each through the Settings form, against the
 * embedded IdP whose URL the ready line gives. Nothing is changed behind the console's back.
 */
const PASSWORD = 'e2e-password-for-dana';

let host: RunningHost;
test.beforeEach(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sso-desk-e2e-oidc-'));
  const file = join(dir, 'two-enterprise-accounts.json');
  writeFileSync(
    file,
    JSON.stringify({
      format: 'sso-desk/workspace@1',
      accounts: [
        { id: 'acme', name: 'Acme Corp', plan: 'enterprise', packages: ['sso-login', 'enterprise-toolkit'] },
        { id: 'globex', name: 'Globex Inc', plan: 'enterprise', packages: ['sso-login'] },
      ],
      users: [
        { email: 'dana@example.test', name: 'Dana Kim', password: PASSWORD },
        { email: 'ann@acme.test', name: 'Ann Lee', password: PASSWORD },
      ],
      memberships: [
        { account: 'acme', email: 'dana@example.test', role: 'member' },
        { account: 'acme', email: 'ann@acme.test', role: 'owner' },
        { account: 'globex', email: 'dana@example.test', role: 'admin' },
      ],
    }),
  );
  host = await startHost(['--import', file]);
});
test.afterEach(async () => {
  await host.stop();
});

test('SSO is switched on in Settings, then dana signs in through the IdP tab and reaches the account picker', async ({
  page,
  context,
}) => {
  await page.goto(host.ready.console);
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Security › SSO' }).click();

  // Acme: dana and ann lose password login; Globex: dana. No test sign-in here (it would leave an IdP
  // session behind and the sign-in below would skip the IdP's login page), so Save asks in the app.
  for (const [account, name, losing] of [
    ['Acme Corp (enterprise)', 'Acme Corp', '2 users'],
    ['Globex Inc (enterprise)', 'Globex Inc', '1 user'],
  ] as const) {
    await page.getByLabel('Account', { exact: true }).selectOption({ label: account });
    const form = page.getByRole('form', { name: /SSO settings for/ });
    const draftBar = page.getByRole('region', { name: 'Unsaved changes' });
    await expect(form.getByLabel('Redirect URL')).toHaveValue('http://127.0.0.1/callback');
    // Bad input first: the field is named and nothing is saved.
    await form.getByLabel('IdP URL (issuer)').fill('http://idp.example.com');
    await form.getByLabel('Client ID').fill('sso-desk-demo');
    await form.getByRole('switch', { name: 'SSO' }).check();
    await draftBar.getByRole('button', { name: 'Save' }).click();
    await expect(form).toContainText('http is allowed only on loopback');
    await expect(form.getByLabel('Saved state')).toContainText(`Saved: SSO is off for ${name}`);
    await form.getByLabel('IdP URL (issuer)').fill(host.ready.idp!);
    await form.getByRole('button', { name: 'Test connection' }).click();
    await expect(form.getByRole('region', { name: 'Test connection results' })).toContainText('Connection OK');
    const before = form.getByRole('region', { name: 'Before SSO is switched on' });
    await expect(before).toContainText('✓ Test connection passed for these settings');
    await expect(before).toContainText(`takes password login away from ${losing} of ${name}`);
    await draftBar.getByRole('button', { name: 'Save' }).click();
    const ask = page.getByRole('alertdialog', { name: `Switch SSO on for ${name}?` });
    await expect(ask).toContainText(`${losing} of ${name} lose password login`);
    await ask.getByRole('button', { name: `Switch SSO on: ${losing} lose password login` }).click();
    await expect(form.getByRole('status')).toContainText('SSO is on');
    await expect(form.getByLabel('Saved state')).toContainText(`Saved: SSO is on for ${name} — enforced since`);
    await expect(form.getByLabel('Client secret status')).toContainText('No client secret: the app is a public client');
  }

  await page.getByRole('tab', { name: 'Simulator' }).click();
  const sim = page.getByRole('form', { name: 'Replay a login' });
  // The SSO tab, reached by keyboard: arrow keys move between the method tabs.
  // (Once the form has its device defaults: they arrive after the screen opens.)
  await expect(sim.getByLabel('Device OS')).not.toHaveValue('');
  await sim.getByRole('tab', { name: 'Auto' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(sim.getByRole('tab', { name: 'Password' })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(sim.getByRole('tab', { name: 'SSO' })).toBeFocused();
  await expect(sim.getByRole('tab', { name: 'SSO' })).toHaveAttribute('aria-selected', 'true');
  await sim.getByLabel('Email').fill('dana@example.test');
  const [idpTab] = await Promise.all([context.waitForEvent('page'), sim.getByRole('button', { name: 'Run' }).click()]);

  // The IdP's own login page, in a new tab.
  await idpTab.waitForLoadState();
  await expect(idpTab.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(idpTab.getByLabel('Email')).toHaveValue('dana@example.test');
  await idpTab.getByLabel('Password').fill(PASSWORD);
  await idpTab.getByRole('button', { name: 'Sign in' }).click();
  await expect(idpTab.getByRole('heading', { name: 'Almost there' })).toBeVisible();
  await expect(idpTab.getByText('Return to SSO Desk')).toBeVisible();
  await idpTab.close();

  // A choice is amber, not a failure.
  const picker = page.getByRole('region', { name: 'Choose an account' });
  await expect(picker).toBeVisible();
  await expect(page.getByLabel('Verdict')).toContainText('Needs a choice');
  await expect(picker.getByRole('button')).toHaveText(['Acme Corp', 'Globex Inc']);
  const steps = page.getByRole('list', { name: 'Timeline' });
  await expect(steps).toContainText('signature');
  await expect(steps).toContainText('••••');
  // docs/img is refreshed only on request, so a test run leaves the work tree clean.
  if (process.env.UPDATE_DOCS_IMG) await page.screenshot({ path: 'docs/img/sso-account-picker.png', fullPage: true });

  await picker.getByRole('button', { name: 'Globex Inc' }).click();
  await expect(page.getByRole('status', { name: 'Outcome' })).toContainText(
    'Signed in: dana@example.test signed in to Globex Inc',
  );
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('article', { name: 'Run' })).toContainText('the IdP was asked to end its session too');
});

test('a Test connection result goes stale when the redirect port, client authentication or user claim changes; Save then asks for a new test', async ({
  page,
}) => {
  await page.goto(host.ready.console);
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Security › SSO' }).click();
  const form = page.getByRole('form', { name: 'SSO settings for Acme Corp' });
  await form.getByLabel('IdP URL (issuer)').fill(host.ready.idp!);
  await form.getByLabel('Client ID').fill('sso-desk-demo');
  await form.getByRole('switch', { name: 'SSO' }).check();
  await form.getByRole('button', { name: 'Test connection' }).click();
  const results = form.getByRole('region', { name: 'Test connection results' });
  const before = form.getByRole('region', { name: 'Before SSO is switched on' });
  const fresh = async () => {
    await expect(results).toContainText('Connection OK');
    await expect(results).not.toContainText('Stale');
    await expect(before).toContainText('✓ Test connection passed for these settings');
  };
  const stale = async () => {
    await expect(results).toContainText('Stale: the settings changed after this test');
    await expect(before).toContainText('✗ Test connection has not passed for these settings yet');
  };
  await fresh();

  await form.getByRole('radio', { name: /Fixed port/ }).check();
  await expect(form.getByRole('textbox', { name: 'Fixed port' })).toHaveValue('8765');
  await stale();
  await form.getByRole('radio', { name: /Any port/ }).check();
  await fresh();

  await form.getByRole('combobox', { name: 'Client authentication' }).selectOption('none');
  await stale();
  await form.getByRole('combobox', { name: 'Client authentication' }).selectOption('auto');
  await fresh();

  await form.getByRole('combobox', { name: 'Claim that identifies the user' }).selectOption('preferred_username');
  await stale();
  await form.getByRole('combobox', { name: 'Claim that identifies the user' }).selectOption('email');
  await fresh();

  // Not every edit matters to the IdP: the owner break-glass leaves the result standing.
  await form.getByRole('switch', { name: /Owners may still use their password/ }).check();
  await fresh();

  // Saved with a port the test never saw, the engine refuses and says why; nothing is saved.
  await form.getByRole('radio', { name: /Fixed port/ }).check();
  await stale();
  await page.getByRole('region', { name: 'Unsaved changes' }).getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alertdialog')).toBeHidden();
  await expect(form).toContainText(
    'the last Test connection ran on settings that have changed since; test these settings again',
  );
  await expect(form.getByLabel('Saved state')).toContainText('Saved: SSO is off for Acme Corp');
});
