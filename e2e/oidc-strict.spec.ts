import AxeBuilder from '@axe-core/playwright';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { startHost, type RunningHost } from './host';
import { startVendorIdp, type VendorIdp } from '../test/oidc/vendor-idps';
import { freePort } from '../test/idps/free-port';

/**
 * Issue 26 on screen, against the strict test IdP (test/oidc/vendor-idps.ts): it shows its login form
 * to any client and refuses an unknown one only after the password. Settings › Security › SSO says a
 * bare login page does not confirm the client, shows the IdP-error-page hint while a Test sign-in
 * waits, has Cancel, lets a new attempt take over its own fixed port, and credits the user the IdP
 * signed in (amber when it is not the one typed); the Simulator shows the hint too.
 */
const USERS = ['ann@acme.test', 'bob@acme.test', 'carol@acme.test'];
const SECRET = 'strict-e2e-secret-0123456789';

let idp: VendorIdp;
let host: RunningHost;
let port: number;
test.describe.configure({ mode: 'serial', timeout: 120_000 });

test.beforeAll(async () => {
  port = await freePort();
  idp = await startVendorIdp('strict', {
    clients: [
      {
        client_id: 'desk-strict',
        client_secret: SECRET,
        application_type: 'native',
        token_endpoint_auth_method: 'client_secret_basic',
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    users: USERS.map((sub) => ({ sub, claims: { email: sub, email_verified: true } })),
  });
});
test.afterAll(async () => {
  await idp?.close();
});
test.beforeEach(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sso-desk-e2e-strict-'));
  const file = join(dir, 'acme.json');
  writeFileSync(
    file,
    JSON.stringify({
      format: 'sso-desk/workspace@1',
      accounts: [{ id: 'acme', name: 'Acme Corp', plan: 'enterprise', packages: ['sso-login'] }],
      users: USERS.map((email) => ({ email, name: email.split('@')[0], password: 'unused-local-password' })),
      memberships: USERS.map((email, i) => ({ account: 'acme', email, role: i === 0 ? 'owner' : 'member' })),
    }),
  );
  host = await startHost(['--import', file]);
});
test.afterEach(async () => {
  await host?.stop();
});

/* eslint-disable @typescript-eslint/no-explicit-any -- the envelope is read loosely */
async function ipc(
  channel: string,
  input: unknown,
): Promise<{ ok: boolean; value?: any; error?: { message: string } }> {
  const url = new URL(host.ready.console);
  const key = new URLSearchParams(url.hash.slice(1)).get('key')!;
  const res = await fetch(`${url.origin}/api/ipc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sso-desk-key': key, origin: url.origin },
    body: JSON.stringify(input),
  });
  return res.json() as never;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Serious and critical axe-core violations on the page as it is now (as e2e/tools-a11y.spec.ts checks). */
async function axe(page: Page, where: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  expect(bad, where).toEqual([]);
}

/** The IdP's own login form (oidc-provider's, no labels: read by field name), then SSO Desk's landing page. */
async function throughIdp(tab: Page, login: string, landing: string) {
  await tab.locator('input[name="login"]').fill(login);
  await tab.locator('input[name="password"]').fill('any');
  await tab.locator('button[type="submit"]').click();
  // oidc-provider's dev interactions may ask to confirm the grant once more.
  const heading = tab.getByRole('heading', { name: landing });
  await expect(heading.or(tab.getByRole('button', { name: 'Continue' }))).toBeVisible();
  if (!(await heading.isVisible())) await tab.getByRole('button', { name: 'Continue' }).click();
  await expect(heading).toBeVisible();
  await tab.close();
}

/** Saves the strict IdP for Acme with SSO off (what an admin does first), then opens Settings › Security › SSO. */
async function openSso(page: Page, settings: Record<string, unknown>) {
  const saved = await ipc('sso.oidc.save', {
    account: 'acme',
    enabled: false,
    issuer: idp.issuer,
    scopes: ['openid', 'email', 'profile'],
    actor: 'admin@acme.test',
    ...settings,
  });
  expect(saved.ok, saved.error?.message).toBe(true);
  await page.goto(host.ready.console);
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Security › SSO' }).click();
  const form = page.getByRole('form', { name: 'SSO settings for Acme Corp' });
  await expect(form.getByLabel('Saved state')).toContainText('Saved: SSO is off for Acme Corp');
  return form;
}

test('an unknown client: Test connection does not confirm it, the checklist asks for a test sign-in, whose wait shows the error-page hint and can be cancelled', async ({
  page,
  context,
}) => {
  const form = await openSso(page, { clientId: 'no-such-client' });
  await form.getByRole('button', { name: 'Test connection' }).click();
  const results = form.getByRole('region', { name: 'Test connection results' });
  await expect(results).toContainText('Connection OK; the client is not confirmed — a Test sign-in will tell');
  await expect(results.getByRole('list', { name: 'Findings' })).toContainText(
    'client ID "no-such-client" with redirect URI',
  );
  await expect(results.getByRole('list', { name: 'Findings' })).not.toContainText('✓ the IdP accepts');

  await form.getByRole('switch', { name: 'SSO' }).check();
  const before = form.getByRole('region', { name: 'Before SSO is switched on' });
  await expect(before).toContainText('⚠ Test connection passed for these settings, but the client is not confirmed');
  await expect(before).toContainText('✗ No test sign-in in the last 30 minutes: needed');
  await form.getByRole('switch', { name: 'SSO' }).uncheck();

  const testSignin = form.getByRole('region', { name: 'Test sign-in' });
  await testSignin.getByLabel('Your email').fill('ann@acme.test');
  const [idpTab] = await Promise.all([
    context.waitForEvent('page'),
    testSignin.getByRole('button', { name: 'Test sign-in' }).click(),
  ]);
  // At the IdP: its login form, and only after the password, its refusal.
  await idpTab.getByLabel('Login').fill('ann@acme.test');
  await idpTab.getByLabel('Password').fill('any');
  await idpTab.getByRole('button', { name: 'Connect' }).click();
  await expect(idpTab.getByRole('alert')).toHaveText('This application is not known');
  await idpTab.close();

  await expect(testSignin.getByRole('status')).toHaveText('Waiting for the sign-in at the IdP…');
  await expect(testSignin.getByLabel('If the IdP shows an error page')).toContainText(
    'Cancel, fix the app at the IdP, and try again',
  );
  await axe(page, 'Settings › SSO, a test sign-in waiting');
  await testSignin.getByRole('button', { name: 'Cancel', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(testSignin.getByRole('status')).toContainText('Test sign-in failed: cancelled');
  await expect(testSignin.getByRole('button', { name: 'Cancel', exact: true })).toBeHidden();
});

test('a fixed port: a second Test sign-in takes over the first one’s listener; the IdP signing in another user is amber and credited', async ({
  page,
  context,
}) => {
  const form = await openSso(page, { clientId: 'desk-strict', clientSecret: SECRET, redirectPort: port });
  const testSignin = form.getByRole('region', { name: 'Test sign-in' });
  await testSignin.getByLabel('Your email').fill('bob@acme.test');
  const [abandoned] = await Promise.all([
    context.waitForEvent('page'),
    testSignin.getByRole('button', { name: 'Test sign-in' }).click(),
  ]);
  await abandoned.close();
  await expect(testSignin.getByRole('status')).toHaveText('Waiting for the sign-in at the IdP…');

  const [idpTab] = await Promise.all([
    context.waitForEvent('page'),
    testSignin.getByRole('button', { name: 'Test sign-in' }).click(),
  ]);
  await expect(testSignin.getByRole('alert')).toBeHidden();
  // Signed in at the IdP as carol, not bob.
  await throughIdp(idpTab, 'carol@acme.test', 'Test sign-in worked');

  await expect(testSignin.getByRole('status')).toContainText(
    'Test sign-in worked for carol@acme.test, not bob@acme.test as typed',
  );
  await form.getByRole('switch', { name: 'SSO' }).check();
  await expect(form.getByRole('region', { name: 'Before SSO is switched on' })).toContainText(
    '✓ Test sign-in by carol@acme.test in the last 30 minutes',
  );
  await axe(page, 'Settings › SSO, a test sign-in by another user (amber)');
});

test('the Simulator shows the IdP-error-page hint while a sign-in waits', async ({ page, context }) => {
  await openSso(page, { clientId: 'desk-strict', clientSecret: SECRET, redirectPort: null });
  // The Simulator replays sign-ins through accounts with SSO on: switched on by the engine’s rules
  // (a passing Test connection, and a test sign-in since it cannot confirm this IdP's client).
  const draft = {
    account: 'acme',
    issuer: idp.issuer,
    clientId: 'desk-strict',
    scopes: ['openid', 'email', 'profile'],
    redirectHost: '127.0.0.1',
  };
  expect((await ipc('sso.oidc.test', draft)).value.verdict).toBe('unconfirmed');
  const started = await ipc('sso.signin.start', { email: 'ann@acme.test', account: 'acme', test: true });
  const tab = await context.newPage();
  await tab.goto(started.value.authorizationUrl);
  await throughIdp(tab, 'ann@acme.test', 'Test sign-in worked');
  const on = await ipc('sso.oidc.save', { ...draft, enabled: true, actor: 'admin@acme.test' });
  expect(on.ok, on.error?.message).toBe(true);
  await page.reload();
  await page.getByRole('tab', { name: 'Simulator' }).click();
  const sim = page.getByRole('form', { name: 'Replay a login' });
  await sim.getByRole('tab', { name: 'SSO' }).click();
  await sim.getByLabel('Email').fill('ann@acme.test');
  const [idpTab] = await Promise.all([context.waitForEvent('page'), sim.getByRole('button', { name: 'Run' }).click()]);
  await idpTab.close();
  const hint = page.getByRole('article', { name: 'Run' }).getByLabel('If the IdP shows an error page');
  await expect(hint).toContainText('If the IdP shows an error page instead of its login page');
  await axe(page, 'Simulator, an SSO run waiting');
  await page.getByRole('button', { name: 'Cancel sign-in' }).click();
  await expect(hint).toBeHidden();
});

test('Test connection with a typed secret, then Save: the result is not stale and the checklist still counts it', async ({
  page,
}) => {
  const form = await openSso(page, { clientId: 'desk-strict', clientSecret: 'an-older-secret', redirectPort: null });
  await form.getByLabel('Client Secret', { exact: true }).fill(SECRET);
  await form.getByRole('button', { name: 'Test connection' }).click();
  const results = form.getByRole('region', { name: 'Test connection results' });
  await expect(results).toContainText('Connection OK');
  await page.getByRole('region', { name: 'Unsaved changes' }).getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('status').filter({ hasText: 'Saved. SSO is off for Acme Corp' }).first()).toBeVisible();
  await expect(results).not.toContainText('Stale');
  await form.getByRole('switch', { name: 'SSO' }).check();
  await expect(form.getByRole('region', { name: 'Before SSO is switched on' })).toContainText(
    '⚠ Test connection passed for these settings, but the client is not confirmed',
  );
});
