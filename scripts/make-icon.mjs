// Renders resources/icon.svg to resources/icon.png (512×512) with the Chromium Playwright drives.
// Run after editing the SVG: `node scripts/make-icon.mjs`. The PNG is committed (packaging and the window use it).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const root = fileURLToPath(new URL('..', import.meta.url));
const svg = readFileSync(`${root}resources/icon.svg`, 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage({ viewport: { width: 512, height: 512 } });
await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
await page.locator('svg').screenshot({ path: `${root}resources/icon.png`, omitBackground: true });
await browser.close();
console.log('resources/icon.png written');
