import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

const require = createRequire(import.meta.url);

/** The HAR 1.2 schema (har-schema), as test/shared/evidence.test.ts checks it. */
function harValidator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  addFormats(ajv);
  for (const s of Object.values(require('har-schema') as Record<string, object>)) ajv.addSchema(s);
  return ajv.getSchema('har.json#')!;
}

/** The demo password of this install, from the Keys screen. */
async function demoPassword(page: Page): Promise<string> {
  await page.getByRole('tab', { name: 'Keys' }).click();
  await page.getByRole('button', { name: 'Show Password of every demo user' }).click();
  const password = (await page.getByLabel('Password of every demo user value').textContent())!.trim();
  expect(password).toMatch(/^demo-/);
  return password;
}

const WRONG = 'not-franks-password-4417';

test('a failing pass-through login says why in one sentence, exports a valid HAR, is saved, found in the audit and re-run', async ({
  consolePage: page,
  host,
}) => {
  await page.getByRole('tab', { name: 'Simulator' }).click();
  // One Simulator: one form, the method as tabs.
  await expect(page.getByRole('heading', { name: 'Simulator', level: 1 })).toBeVisible();
  const form = page.getByRole('form', { name: 'Replay a login' });
  // The device defaults come from this machine.
  await expect(form.getByLabel('Device name')).not.toHaveValue('');
  await expect(form.getByLabel('Device IP')).toHaveValue(/^\d+\.\d+\.\d+\.\d+$/);
  await expect(form.getByRole('tab', { name: 'Auto' })).toHaveAttribute('aria-selected', 'true');

  await form.getByLabel('Account').selectOption({ label: 'Globex Inc' });
  await form.getByLabel('Email').fill('frank@globex.test');
  await form.getByRole('textbox', { name: 'Password', exact: true }).fill(WRONG);
  await form.getByLabel('Device name').fill('Frank’s laptop');
  await form.getByRole('button', { name: 'Run' }).click();

  const run = page.getByRole('article', { name: 'Run' });
  const host_ = new URL(host.ready.passthrough!).host;
  await expect(run.getByRole('alert', { name: 'Outcome' })).toHaveText(
    `Failed: Globex Inc’s login service at ${host_} did not accept the password for frank@globex.test (it answered 401 Unauthorized); ask them to check the password they use for that service.`,
  );
  const timeline = run.getByRole('list', { name: 'Timeline' });
  await expect(timeline.getByRole('listitem', { name: 'Step method choice' })).toContainText('Auto:');
  const exchange = timeline.getByRole('listitem', { name: 'Step external answer' });
  await expect(exchange).toHaveAttribute('data-outcome', 'fail');
  await expect(exchange.locator('summary')).toHaveText(/^POST http:\/\/127\.0\.0\.1:\d+\/login → 401 Unauthorized/);
  await exchange.locator('summary').click();
  await expect(exchange.getByLabel('Request body')).toContainText('"password":"••••"');
  await expect(exchange.getByRole('table', { name: 'Response headers' })).toContainText('Content-Type');
  await exchange.getByRole('button', { name: 'Copy as curl' }).click();
  await expect(exchange.getByLabel('curl command')).toContainText(`curl -X POST 'http://${host_}/login'`);
  await expect(exchange.getByLabel('curl command')).toContainText('••••');
  expect(await run.innerHTML()).not.toContain(WRONG);

  // Export HAR: a file the HAR 1.2 schema accepts, with the password masked.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    run.getByRole('button', { name: 'Export HAR' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^sso-desk-frank_globex\.test-.*\.har$/);
  const text = readFileSync((await download.path())!, 'utf8');
  expect(text).not.toContain(WRONG);
  const har = JSON.parse(text) as {
    log: { entries: Array<{ request: { method: string; postData?: { text: string } }; response: { status: number } }> };
  };
  const validate = harValidator();
  expect(validate(har), JSON.stringify(validate.errors)).toBe(true);
  expect(har.log.entries).toHaveLength(1);
  expect(har.log.entries[0]).toMatchObject({ request: { method: 'POST' }, response: { status: 401 } });
  expect(har.log.entries[0]!.request.postData!.text).toContain('••••');

  await run.getByRole('button', { name: 'Save to audit' }).click();
  await expect(run.getByRole('status').filter({ hasText: 'Saved to the audit log' })).toBeVisible();

  // The audit filter finds the saved run; Re-run opens the Simulator prefilled (the password typed again).
  await page.getByRole('tab', { name: 'Audit' }).click();
  await page.getByRole('searchbox', { name: 'Search' }).fill('simulation frank');
  const list = page.getByRole('list', { name: 'Audit events' });
  await expect(list.getByRole('button')).toHaveCount(1);
  await list.getByRole('button', { name: 'simulation.run frank@globex.test failed' }).click();
  const detail = page.getByRole('article', { name: 'Audit event detail' });
  await expect(detail).toContainText('did not accept the password for frank@globex.test');
  await expect(detail).not.toContainText(WRONG);
  await detail.getByRole('button', { name: 'Re-run in Simulator' }).click();

  await expect(page.getByRole('tab', { name: 'Simulator' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('note')).toContainText('Re-run of a saved run of frank@globex.test');
  await expect(form.getByLabel('Email')).toHaveValue('frank@globex.test');
  await expect(form.getByLabel('Account')).toHaveValue('globex');
  await expect(form.getByLabel('Device name')).toHaveValue('Frank’s laptop');
  await expect(form.getByRole('textbox', { name: 'Password', exact: true })).toHaveValue('');
  await form.getByRole('textbox', { name: 'Password', exact: true }).fill(WRONG);
  await form.getByRole('button', { name: 'Run' }).click();
  await expect(run.getByRole('alert', { name: 'Outcome' })).toContainText(
    'did not accept the password for frank@globex.test',
  );
});

test('a successful SSO login through the IdP tab shows every check green', async ({ consolePage: page }) => {
  const password = await demoPassword(page);
  await page.getByRole('tab', { name: 'Simulator' }).click();
  const form = page.getByRole('form', { name: 'Replay a login' });
  await form.getByLabel('Email').fill('ann@acme.test');
  // Auto: Acme enforces SSO, so the policy runs "Sign in with SSO" (no password typed here).
  const [idpTab] = await Promise.all([
    page.context().waitForEvent('page'),
    form.getByRole('button', { name: 'Run' }).click(),
  ]);
  const run = page.getByRole('article', { name: 'Run' });
  const timeline = run.getByRole('list', { name: 'Timeline' });
  // Live: the steps up to the hand-off are there while the IdP page waits.
  await expect(run.getByRole('status').filter({ hasText: 'Waiting for the identity provider' })).toBeVisible();
  await expect(timeline.getByRole('listitem', { name: 'Step authorize' })).toBeVisible();
  await expect(timeline.getByRole('listitem', { name: 'Step method choice' })).toContainText('→ Sign in with SSO');

  await idpTab.waitForLoadState();
  await expect(idpTab.getByLabel('Email')).toHaveValue('ann@acme.test');
  await idpTab.getByLabel('Password').fill(password);
  await idpTab.getByRole('button', { name: 'Sign in' }).click();
  await expect(idpTab.getByText('Return to SSO Desk')).toBeVisible();
  await idpTab.close();

  await expect(run.getByRole('status', { name: 'Outcome' })).toContainText('ann@acme.test signed in to Acme Corp');
  for (const check of [
    'policy',
    'discovery',
    'state',
    'token exchange',
    'signature',
    'iss',
    'aud',
    'exp',
    'nonce',
    'email',
    'session',
  ]) {
    await expect(timeline.getByRole('listitem', { name: `Step ${check}`, exact: true })).toHaveAttribute(
      'data-outcome',
      'ok',
    );
  }
  await expect(timeline.locator('[data-outcome="fail"]')).toHaveCount(0);
  for (const exchange of ['discovery document', 'token endpoint', 'JWKS']) {
    await expect(timeline.getByRole('listitem', { name: `Step ${exchange}`, exact: true })).toHaveAttribute(
      'data-outcome',
      'ok',
    );
  }
  const token = timeline.getByRole('listitem', { name: 'Step token endpoint', exact: true });
  await expect(token.locator('summary')).toHaveText(/^POST http:\/\/127\.0\.0\.1:\d+\/token → 200 OK/);
  await token.locator('summary').click();
  await expect(token.getByLabel('Request body')).toContainText('code=••••');
  await expect(token.getByLabel('Request body')).toContainText('code_verifier=••••');
  await expect(token.getByLabel('Response body')).toContainText('"id_token":"••••"');
  expect(await run.innerHTML()).not.toContain(password);
  // No token in the page until asked for.
  expect(await run.innerHTML()).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  // UPDATE_DOCS_IMG=1 refreshes the picture in docs/simulator.md.
  if (process.env.UPDATE_DOCS_IMG) {
    await page.setViewportSize({ width: 1280, height: 2200 });
    await page.getByRole('region', { name: 'Simulator' }).screenshot({ path: 'docs/img/simulator-sso.png' });
  }

  // Pick the run's ID token into Inspector › Tokens and verify it against the IdP's keys (discovery from iss).
  await run.getByRole('button', { name: 'Inspect ID token' }).click();
  await expect(page.getByRole('tab', { name: 'Inspector' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('textbox', { name: 'Token', exact: true })).toHaveValue(/^eyJ/);
  await expect(page.getByRole('radio', { name: 'Discovery from iss' })).toBeChecked();
  await page.getByRole('button', { name: 'Inspect' }).click();
  await expect(page.getByRole('status', { name: 'Verification' })).toContainText('Verified');
  await expect(page.getByRole('table', { name: 'Claims' })).toContainText('ann@acme.test');
});
