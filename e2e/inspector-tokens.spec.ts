import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

/**
 * Inspector > Tokens in Chromium over the browser host: a token signed by a key made here, verified
 * against its pasted JWKS (offline), then an expired and a tampered one with their reasons.
 */

const now = () => Math.floor(Date.now() / 1000);

/** The check row whose name is exactly `name` (names like "Key" are inside other checks' details). */
const checkItem = (page: Page, name: string) =>
  page
    .getByRole('list', { name: 'Verification checks' })
    .getByRole('listitem')
    .filter({ has: page.locator('strong').getByText(name, { exact: true }) });

/** The row of claim (or header parameter) `name` in the table called `table`. */
const fieldRow = (page: Page, table: 'Claims' | 'Header', name: string) =>
  page
    .getByRole('table', { name: table })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader').locator('code').getByText(name, { exact: true }) });

async function keys() {
  const signing = await generateKeyPair('RS256', { extractable: true });
  const spare = await generateKeyPair('ES256', { extractable: true });
  const jwks = {
    keys: [
      { ...(await exportJWK(spare.publicKey)), kid: 'spare-ec' },
      { ...(await exportJWK(signing.publicKey)), kid: 'desk-1', alg: 'RS256', use: 'sig' } as JWK,
    ],
  };
  const sign = (claims: Record<string, unknown>) =>
    new SignJWT({
      iss: 'https://idp.acme.test',
      sub: 'E-1001',
      aud: 'sso-desk',
      email: 'ann@acme.test',
      email_verified: true,
      nonce: 'n-42',
      iat: now() - 60,
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'desk-1', typ: 'JWT' })
      .sign(signing.privateKey);
  return { jwks: JSON.stringify(jwks, null, 2), sign };
}

test('paste a token and its JWKS: verified, claims explained, relative times tick', async ({ consolePage: page }) => {
  const { jwks, sign } = await keys();
  const token = await sign({ exp: now() + 45 });

  await page.getByRole('tab', { name: 'Inspector' }).click();
  await expect(page.getByRole('button', { name: 'Tokens' })).toHaveAttribute('aria-current', 'page');
  await page.getByRole('textbox', { name: 'Token', exact: true }).fill(token);
  await page.getByRole('radio', { name: 'Paste JWKS' }).check();
  await page.getByRole('textbox', { name: 'JWKS' }).fill(jwks);
  await page.getByLabel('Expected audience (optional)').fill('sso-desk');
  await page.getByRole('button', { name: 'Inspect' }).click();

  const verdict = page.getByRole('status', { name: 'Verification' });
  await expect(verdict).toContainText('Verified');
  await expect(verdict).toContainText('the pasted JWKS (2 keys)');
  for (const name of ['Algorithm', 'Key', 'Signature', 'Expiry (exp)', 'Audience (aud)']) {
    await expect(checkItem(page, name)).toContainText('passed');
  }
  await expect(checkItem(page, 'Signature')).toContainText('"desk-1" (RSA)');
  await expect(page.getByLabel('Token kind')).toContainText('ID token');

  await expect(fieldRow(page, 'Claims', 'email')).toContainText('ann@acme.test');
  await expect(fieldRow(page, 'Claims', 'email')).toContainText('email address as the identity provider knows it');
  await expect(fieldRow(page, 'Claims', 'nonce')).toContainText('replayed ID tokens');
  await expect(fieldRow(page, 'Header', 'kid')).toContainText('desk-1');

  // exp is shown as a date and as "in N s", and the relative text ticks by itself.
  const expRelative = page.getByLabel('exp relative');
  await expect(expRelative).toHaveText(/^in \d+ s$/);
  const first = await expRelative.textContent();
  await expect(expRelative).not.toHaveText(first!, { timeout: 5000 });
  await expect(page.getByLabel('iat relative')).toHaveText(/^1 min ago$/);
  await expect(fieldRow(page, 'Claims', 'exp').locator('time')).toHaveText(/^\d{4}-\d\d-\d\dT/);

  if (process.env.SSO_DESK_SCREENSHOTS) {
    await page.setViewportSize({ width: 1280, height: 1650 });
    await page.screenshot({ path: 'docs/img/inspector-tokens.png', fullPage: true });
  }
});

test('an expired token and a tampered token say why they fail', async ({ consolePage: page }) => {
  const { jwks, sign } = await keys();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await page.getByRole('radio', { name: 'Paste JWKS' }).check();
  await page.getByRole('textbox', { name: 'JWKS' }).fill(jwks);

  await page
    .getByRole('textbox', { name: 'Token', exact: true })
    .fill(await sign({ iat: now() - 4 * 3600, exp: now() - 3 * 3600 }));
  await page.getByRole('button', { name: 'Inspect' }).click();
  const verdict = page.getByRole('status', { name: 'Verification' });
  await expect(verdict).toContainText('Not valid');
  await expect(verdict).toContainText(/Expired at \d{4}-\d\d-\d\dT[\d:.]+Z, 3 h ago\./);
  await expect(checkItem(page, 'Signature')).toContainText('passed');
  await expect(checkItem(page, 'Expiry (exp)')).toContainText('failed');
  await expect(page.getByLabel('exp relative')).toHaveText('3 h ago');

  // Change one claim of a valid token without re-signing it.
  const good = await sign({ exp: now() + 600 });
  const [h, p, s] = good.split('.');
  const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
  const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, email: 'mallory@evil.test' })).toString('base64url')}.${s}`;
  await page.getByRole('textbox', { name: 'Token', exact: true }).fill(tampered);
  // Another token (not an edit of the last one) starts without the last one's key (issue 22 §6).
  await expect(page.getByRole('textbox', { name: 'JWKS' })).toHaveValue('');
  await page.getByRole('textbox', { name: 'JWKS' }).fill(jwks);
  await page.getByRole('button', { name: 'Inspect' }).click();
  await expect(verdict).toContainText('Bad signature: the RS256 signature does not match key "desk-1" (RSA)');
  await expect(checkItem(page, 'Signature')).toContainText('failed');
  await expect(page.getByRole('table', { name: 'Claims' })).toContainText('mallory@evil.test');

  // An unknown kid names the kids the JWKS has; an opaque token is recognised as such.
  const rotated = `${Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'desk-0', typ: 'JWT' })).toString('base64url')}.${p}.${s}`;
  await page.getByRole('textbox', { name: 'Token', exact: true }).fill(rotated);
  await page.getByRole('button', { name: 'Inspect' }).click();
  await expect(verdict).toContainText(
    'Unknown kid "desk-0": no key with that ID in the pasted JWKS (2 keys); it has "spare-ec", "desk-1".',
  );

  // A new token starts without the last one's key (issue 22 §6): it is decoded as it is pasted.
  await page.getByRole('textbox', { name: 'Token', exact: true }).fill('2YotnFZFEjr1zCsicMWpAA');
  await expect(page.getByLabel('Token kind')).toContainText('OPAQUE');
  await expect(page.getByLabel('Token kind')).toContainText('only its issuer can say');
  await expect(verdict).toContainText('Not verified');
});
