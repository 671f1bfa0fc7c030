// Screenshots for the README, taken from a fresh browser host with the demo world:
//   npm run build && npm run screenshots        → docs/img/home.png
import { mkdirSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { startHost } from '../e2e/host';
import { CHROMIUM_ARGS } from '../playwright.config';

const host = await startHost();
const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 820 }, colorScheme: 'light' });
  await page.goto(host.ready.console);
  await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
  await page.getByRole('article', { name: /Globex Inc/ }).getByText('Next step').waitFor();
  await page.getByText('Store healthy').waitFor();
  mkdirSync('docs/img', { recursive: true });
  await page.screenshot({ path: 'docs/img/home.png' });
  console.log('docs/img/home.png written');
} finally {
  await browser.close();
  await host.stop();
}
