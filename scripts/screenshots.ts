// Screenshots for the README and docs, taken from a fresh browser host with the demo world:
//   npm run build && npm run screenshots        → docs/img/home.png, docs/img/sso-preset-{okta,entra}.png
// The vendor shots fill in a preset as an admin would and leave the draft unsaved.
import { mkdirSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { startHost } from '../e2e/host';
import { CHROMIUM_ARGS } from '../playwright.config';

const host = await startHost();
const browser = await chromium.launch({
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: CHROMIUM_ARGS,
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 820 }, colorScheme: 'light' });
  await page.goto(host.ready.console);
  await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
  await page
    .getByRole('article', { name: /Globex Inc/ })
    .getByText('Next step')
    .waitFor();
  await page.getByText('Store healthy').waitFor();
  mkdirSync('docs/img', { recursive: true });
  await page.screenshot({ path: 'docs/img/home.png' });
  console.log('docs/img/home.png written');

  // docs/oidc-sso.md § Vendors: what the Okta and Entra ID presets propose (Acme is on a plan with presets).
  await page.setViewportSize({ width: 1280, height: 2200 }); // the whole form: redirect, client auth, vendor steps
  const vendor = async (option: string, params: Record<string, string>, file: string) => {
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Security › SSO' }).click();
    const form = page.getByRole('form', { name: /SSO settings for Acme/ });
    await form.getByLabel('Identity provider').selectOption({ label: option });
    for (const [label, value] of Object.entries(params)) await form.getByLabel(label, { exact: true }).fill(value);
    await form.getByLabel('Client ID').fill('0oa1example2client3ID4');
    await page.waitForTimeout(300); // let the built issuer and the Redirect URL settle before the picture
    await form.screenshot({ path: file });
    console.log(`${file} written`);
    await page.getByRole('button', { name: 'Discard' }).click();
  };
  await vendor('Okta', { 'Okta domain': 'acme.okta.com' }, 'docs/img/sso-preset-okta.png');
  await vendor(
    'Microsoft Entra ID',
    { 'Directory (tenant) ID': 'acme.onmicrosoft.com' },
    'docs/img/sso-preset-entra.png',
  );
} finally {
  await browser.close();
  await host.stop();
}
