import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

// Each test walks a whole job with several axe-core runs: on a busy two-core machine that takes minutes.
test.describe.configure({ timeout: 240_000 });

/** Fails on any serious or critical axe-core violation of what is on screen now. */
async function axeClean(page: Page, state: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${state}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  expect(bad).toEqual([]);
}

/** The answer of an action (a polite status line), not the status bar. */
async function said(page: Page, text: string): Promise<void> {
  await expect(page.getByRole('status').filter({ hasText: text })).toBeVisible();
}

async function openDirectory(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('button', { name: 'Directory' }).click();
  await expect(page.getByRole('heading', { name: 'Directory', level: 1 })).toBeVisible();
}

test('accounts: create with the import rules, members in a dialog, delete with a confirmation naming what goes', async ({
  consolePage: page,
}) => {
  await openDirectory(page);
  await expect(page.getByRole('table', { name: 'Accounts' }).getByRole('row', { name: /Acme Corp/ })).toBeVisible();
  await axeClean(page, 'directory accounts');

  // The workspace rules, on the field, in the same words as an import.
  await page.getByLabel('Name', { exact: true }).fill('Initech');
  await page.getByLabel('ID', { exact: true }).fill('Initech Corp');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('expected lowercase letters, digits and dashes')).toBeVisible();
  await expect(page.getByLabel('ID', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await axeClean(page, 'account form with an error');
  await page.getByLabel('ID', { exact: true }).fill('initech');
  await page.getByRole('button', { name: 'Create account' }).click();
  await said(page, 'Created Initech.');
  const row = page.getByRole('table', { name: 'Accounts' }).getByRole('row', { name: /Initech/ });
  await expect(row).toContainText('free');

  // Members: a dialog; add the owner by keyboard; Escape closes it and focus returns to the button.
  await page.getByRole('button', { name: 'Members of Initech' }).click();
  const dialog = page.getByRole('dialog', { name: 'Members of Initech' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Email of an existing user').fill('ann@acme.test');
  await dialog.getByLabel('Role').selectOption('owner');
  await dialog.getByLabel('Email of an existing user').press('Enter');
  await expect(dialog.getByRole('table', { name: 'Members of Initech' })).toContainText('ann@acme.test');
  await axeClean(page, 'members dialog');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'Members of Initech' })).toBeFocused();
  await expect(row.getByRole('cell').nth(5)).toHaveText('1');

  // Delete: the confirmation names what goes with the account; Cancel is the first focus, Escape cancels.
  await page.getByRole('button', { name: 'Delete Initech' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Delete Initech?' });
  await expect(confirm).toContainText('1 membership');
  await expect(confirm).toContainText('The users stay.');
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await axeClean(page, 'delete confirmation');
  await confirm.getByRole('button', { name: 'Delete Initech' }).click();
  await expect(confirm).toBeHidden();
  await said(page, 'Deleted Initech.');
  await expect(page.getByRole('table', { name: 'Accounts' }).getByRole('row', { name: /Initech/ })).toHaveCount(0);
});

test('users: a virtualized list, a new user, the user page with the policy’s words, deactivation and password', async ({
  consolePage: page,
}) => {
  await openDirectory(page);
  // Arrow keys move between the tabs (Radix Tabs).
  await page.getByRole('tab', { name: 'Accounts' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Users' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByText('6 of 6 users')).toBeVisible();
  await axeClean(page, 'directory users');

  await page.getByLabel('Email', { exact: true }).fill('zoe@acme.test');
  await page.getByLabel('Name', { exact: true }).fill('Zoe Quinn');
  await page.getByLabel('Local password (optional)').fill('short');
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByText('expected at least 8 characters')).toBeVisible();
  await page.getByLabel('Local password (optional)').fill('zoe-password-1');
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByText('7 of 7 users')).toBeVisible();

  await page.getByLabel('Filter by email, name or external ID').fill('dana');
  await expect(page.getByText('1 of 7 users')).toBeVisible();
  await page.getByRole('button', { name: /Dana Kim, dana@example\.test/ }).click();
  await expect(page.getByRole('heading', { name: 'Dana Kim (dana@example.test)' })).toBeFocused();
  const accounts = page.getByRole('table', { name: 'Accounts of dana@example.test' });
  // The policy's own words per account: SSO for Acme (demo IdP), external authentication for Globex.
  await expect(accounts.getByRole('row', { name: /Acme Corp/ })).toContainText('Sign in with SSO');
  await expect(accounts.getByRole('row', { name: /Acme Corp/ })).toContainText(
    'password refused for Acme Corp — SSO enforced',
  );
  await expect(accounts.getByRole('row', { name: /Globex Inc/ })).toContainText('uses external authentication');
  await expect(page.getByRole('region', { name: 'Lockouts' })).toBeVisible();
  await axeClean(page, 'user page');

  // Deactivate Dana in Globex from the account's members; the user page then says who did it.
  await page.getByRole('button', { name: '← All users' }).click();
  await page.getByRole('tab', { name: 'Accounts' }).click();
  await page.getByRole('button', { name: 'Members of Globex Inc' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Deactivate dana@example.test' }).click();
  await expect(page.getByRole('dialog').getByRole('row', { name: /dana@example\.test/ })).toContainText(
    'Deactivated by an admin',
  );
  await page.keyboard.press('Escape');
  await page.getByRole('tab', { name: 'Users' }).click();
  await page.getByRole('button', { name: /Dana Kim, dana@example\.test/ }).click();
  await expect(
    page.getByRole('table', { name: 'Accounts of dana@example.test' }).getByRole('row', { name: /Globex Inc/ }),
  ).toContainText('deactivated in Globex Inc by an admin in the console');

  // A new password: hashed, never shown back; the audit list on the page shows the change.
  await page.getByLabel('New password').fill('dana-new-password');
  await page.getByRole('button', { name: 'Reset password' }).click();
  await said(page, 'Reset the local password of dana@example.test; it is not shown again.');
  await expect(page.getByRole('table', { name: 'Recent audit events of dana@example.test' })).toContainText(
    'directory.user.password',
  );
  await expect(page.locator('body')).not.toContainText('dana-new-password');
});

test('bots: a new key pair replaces the old after a confirmation and is shown once', async ({ consolePage: page }) => {
  await openDirectory(page);
  await page.getByRole('tab', { name: 'Bots and teams' }).click();
  const helpdesk = page.getByRole('article', { name: /Helpdesk/ });
  await expect(helpdesk.getByRole('table', { name: 'Team of Helpdesk' })).toContainText('bob@acme.test');
  await axeClean(page, 'directory bots');
  await helpdesk.getByLabel('Level of carol@acme.test on Helpdesk').selectOption('editor');
  await said(page, 'carol@acme.test is now editor on Helpdesk.');

  await helpdesk.getByRole('button', { name: 'Generate key pair for Helpdesk' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Replace the key pair of Helpdesk?' });
  await expect(confirm).toContainText('stop working at once');
  await confirm.getByRole('button', { name: 'Generate new pair' }).click();
  const shown = page.getByRole('dialog', { name: 'New key pair of Helpdesk' });
  const key = (await shown.getByLabel('BotAPIKey').textContent())!;
  expect(key).toMatch(/^bot_[A-Za-z0-9_-]{32}$/);
  await axeClean(page, 'new key pair');
  await page.keyboard.press('Escape');
  await expect(helpdesk).toContainText(`BotAPIKey: …${key.slice(-4)}`);
  await expect(page.locator('body')).not.toContainText(key);
});

test('General › Export: a workspace file without secrets by default, with them encrypted on request', async ({
  consolePage: page,
}) => {
  await expect(page.getByRole('heading', { name: 'General' })).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export workspace…' }).click();
  const plainDownload = await download;
  expect(plainDownload.suggestedFilename()).toMatch(/^sso-desk-workspace-\d{4}-\d\d-\d\d\.json$/);
  const file = JSON.parse(readFileSync((await plainDownload.path())!, 'utf8'));
  expect(file.format).toBe('sso-desk/workspace@1');
  // The install-wide settings travel too; what does not is listed on screen.
  expect(Object.keys(file.settings).sort()).toEqual(['auditRetentionDays', 'loginProtection', 'network']);
  expect(file.accounts.map((a: { id: string }) => a.id)).toEqual(['acme', 'globex']);
  expect(file.secrets).toBeUndefined();
  expect(JSON.stringify(file)).not.toContain('scrypt$');
  const leftOut = page.getByRole('list', { name: 'Left out of the export' });
  await expect(leftOut).toContainText('password hashes');
  await expect(leftOut).toContainText('login lockouts and counted failures');
  await axeClean(page, 'general export');

  await page.getByLabel('Include secrets, encrypted with a passphrase').check();
  await page.getByLabel('Passphrase (at least 8 characters)').fill('long enough phrase');
  await page.getByLabel('Repeat passphrase').fill('another phrase');
  await page.getByRole('button', { name: 'Export workspace…' }).click();
  await expect(page.getByText('Repeat passphrase: the two passphrases differ')).toBeVisible();
  await page.getByLabel('Repeat passphrase').fill('long enough phrase');
  const second = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export workspace…' }).click();
  const sealedDownload = await second;
  expect(sealedDownload.suggestedFilename()).toMatch(/^sso-desk-workspace-\d{4}-\d\d-\d\d-with-secrets\.json$/);
  const encrypted = JSON.parse(readFileSync((await sealedDownload.path())!, 'utf8'));
  expect(encrypted.secrets.enc).toMatch(/^v1:/);
  await expect(page.getByRole('status').filter({ hasText: 'Exported' })).toContainText(
    'secrets encrypted with your passphrase',
  );
});

test('the directory is axe-clean in the dark theme too', async ({ consolePage: page }) => {
  // The theme applies at once.
  await page.getByLabel('Theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await openDirectory(page);
  await axeClean(page, 'dark accounts');
  await page.getByRole('tab', { name: 'Users' }).click();
  await page.getByRole('button', { name: /Ann Lee, ann@acme\.test/ }).click();
  await expect(page.getByRole('heading', { name: 'Ann Lee (ann@acme.test)' })).toBeVisible();
  await axeClean(page, 'dark user page');
});
