import AxeBuilder from '@axe-core/playwright';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { startHost, type RunningHost } from './host';
import { recordSignIn, type Har } from '../test/engine/inspect/diagnose/record-har';

/**
 * Inspector › Diagnose in Chromium over the browser host: a HAR recorded from a real sign-in at the
 * host's embedded IdP, then altered (the callback's state replaced), dropped in as a file.
 */
const PASSWORD = 'e2e-password-for-ann';
let host: RunningHost;
let dir: string;
test.beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sso-desk-e2e-diagnose-'));
  const file = join(dir, 'workspace.json');
  writeFileSync(
    file,
    JSON.stringify({
      format: 'sso-desk/workspace@1',
      accounts: [{ id: 'acme', name: 'Acme Corp', plan: 'enterprise', packages: ['sso-login', 'enterprise-toolkit'] }],
      users: [{ email: 'ann@acme.test', name: 'Ann Lee', password: PASSWORD }],
      memberships: [{ account: 'acme', email: 'ann@acme.test', role: 'owner' }],
    }),
  );
  host = await startHost(['--import', file]);
});
test.afterEach(async () => {
  await host.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function alteredHar(): Promise<{ har: Har; code: string }> {
  const { har } = await recordSignIn(host.ready.idp!, 'ann@acme.test', PASSWORD);
  const cb = har.log.entries.find((e) => /127\.0\.0\.1:\d+\/callback/.test(e.request.url))!;
  const u = new URL(cb.request.url);
  u.searchParams.set('state', 'from-another-tab');
  cb.request.url = u.href;
  return { har, code: u.searchParams.get('code')! };
}

test('a HAR with a state mismatch: cause and fix, secrets masked and revealed one at a time, redacted report', async ({
  page,
}) => {
  const { har, code } = await alteredHar();
  const file = join(dir, 'customer-signin.har');
  writeFileSync(file, JSON.stringify(har));
  await page.goto(host.ready.console);
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await page.getByRole('navigation', { name: 'Inspector sections' }).getByRole('button', { name: 'Diagnose' }).click();
  await page.getByLabel('HAR file', { exact: true }).setInputFiles(file);

  const summary = page.getByRole('status', { name: 'Summary' });
  await expect(summary).toContainText('state_mismatch');
  const finding = page.getByRole('listitem', { name: 'Finding state_mismatch' });
  await expect(finding).toContainText('at step callback');
  await expect(finding).toContainText('Fix: Start the sign-in again in one tab only');
  const timeline = page.getByRole('list', { name: 'Timeline' });
  for (const step of ['discovery', 'authorize', 'callback', 'token', 'JWKS'])
    await expect(timeline.getByRole('listitem', { name: `Step ${step}`, exact: true }).first()).toBeVisible();
  await expect(page.locator('body')).not.toContainText(code);

  if (process.env.SSO_DESK_SCREENSHOTS) {
    await page.getByRole('region', { name: 'Diagnosis' }).evaluate((el) => el.scrollIntoView());
    await page.screenshot({ path: 'docs/img/diagnose.png', fullPage: false });
  }

  // One secret at a time: revealing the token step's code hides the callback's.
  const callback = timeline.getByRole('listitem', { name: 'Step callback' });
  await callback.getByRole('button', { name: /^Reveal code of step/ }).click();
  await expect(callback).toContainText(code);
  const token = timeline.getByRole('listitem', { name: 'Step token' });
  await token.getByRole('button', { name: /^Reveal code_verifier of step/ }).click();
  await expect(callback).not.toContainText(code);
  await token.getByRole('button', { name: /^Hide code_verifier/ }).click();

  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  for (const [button, ext] of [
    ['Export redacted report (Markdown)', 'md'],
    ['Export redacted report (HTML)', 'html'],
  ] as const) {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: button }).click();
    const d = await download;
    expect(d.suggestedFilename()).toBe(`customer-signin-diagnosis.${ext}`);
    const text = readFileSync((await d.path())!, 'utf8');
    expect(text).toContain('state_mismatch');
    expect(text).not.toContain(code);
  }
});

test('a big HAR is read in chunks with a progress bar; pasted text is diagnosed too', async ({ page }) => {
  const { har } = await alteredHar();
  // Pad the capture with 3 MB of page traffic that has nothing to do with the sign-in.
  const filler = JSON.stringify({ padding: 'x'.repeat(2000) });
  for (let i = 0; i < 1500; i++)
    har.log.entries.unshift({
      ...har.log.entries[0]!,
      request: { ...har.log.entries[0]!.request, url: `https://cdn.example.com/app/chunk-${i}.js`, method: 'GET' },
      response: {
        ...har.log.entries[0]!.response,
        status: 200,
        content: { size: 0, mimeType: 'application/javascript', text: filler },
      },
    });
  const file = join(dir, 'big.har');
  writeFileSync(file, JSON.stringify(har));
  await page.goto(host.ready.console);
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await page.getByRole('navigation', { name: 'Inspector sections' }).getByRole('button', { name: 'Diagnose' }).click();
  await page.getByLabel('HAR file', { exact: true }).setInputFiles(file);
  await expect(page.getByRole('status', { name: 'Summary' })).toContainText('state_mismatch');
  await expect(page.getByText(/sign-in exchanges of 15\d\d requests/)).toBeVisible();

  await page
    .getByLabel(/Or paste a URL/)
    .fill('https://app.example.com/callback?error=access_denied&error_description=AADSTS50105%3A+not+assigned&state=x');
  await page.getByRole('form', { name: 'Diagnose pasted text' }).getByRole('button', { name: 'Diagnose' }).click();
  await expect(page.getByRole('listitem', { name: 'Finding idp_error' })).toContainText('Users and groups');
});
