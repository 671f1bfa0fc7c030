/**
 * Which identity provider sent a SCIM request, from its User-Agent: Okta's provisioning client calls
 * itself "Okta SCIM Client …", Entra ID's carries "Microsoft", "Azure" or "AAD". Anything else is named by
 * the first product token of its User-Agent (`curl/8.5` → `curl`), capped in length and charset so that
 * it can go into an audit line and a membership's `provisioned_by`.
 */
export function idpFromUserAgent(ua: string | undefined): string {
  const text = (ua ?? '').trim();
  if (text.startsWith(SELF_CHECK_UA)) return 'SSO Desk self-check';
  if (/okta/i.test(text)) return 'Okta';
  if (/microsoft|azure|\baad\b|entra/i.test(text)) return 'Microsoft Entra ID';
  const product = /^([A-Za-z0-9._-]{1,40})/.exec(text)?.[1];
  return product ?? 'unknown client';
}

/** The User-Agent of the console's "Test provisioning" (it replays Okta's and Entra ID's requests). */
export const SELF_CHECK_UA = 'SSO-Desk-self-check/1.0';
