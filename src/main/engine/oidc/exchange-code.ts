import * as client from 'openid-client';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { IssuerMatch } from '@shared/issuer-match';
import { TENANT_GUID } from '@shared/issuer-match';
import type { RelyingParty } from './client-config';
import { describeTokenError, readChallengeBody, type FailedCheck } from './token-errors';

type Tokens = Awaited<ReturnType<typeof client.authorizationCodeGrant>>;

export interface ExchangeInput {
  url: URL;
  meta: client.ServerMetadata;
  rp: RelyingParty;
  match: IssuerMatch;
  /** Builds openid-client's configuration for given metadata and fetch (the flow's clock, auth, http rules). */
  build(meta: client.ServerMetadata, fetch: client.CustomFetch): client.Configuration;
  fetch: client.CustomFetch;
  checks: { pkceCodeVerifier: string; expectedState: string; expectedNonce: string };
  method: string;
  /** The method was picked by `auto` (a refusal then suggests the other secret method). */
  auto?: boolean;
}

export type ExchangeResult = { ok: true; tokens: Tokens; tenantNote?: string } | { ok: false; failed: FailedCheck };

/**
 * The code exchange and every ID-token check (openid-client: signature, iss, aud, exp, nonce, PKCE).
 *
 * A multi-tenant Microsoft Entra ID issuer (`…/{tenantid}/v2.0`) follows Microsoft's rule
 * (learn.microsoft.com/entra/identity-platform/access-tokens#validate-the-issuer): the token's `tid`
 * must be a tenant GUID, the expected issuer is the template filled with it, and the signing key's
 * own `issuer` (Entra's JWKS carries one per key) must give the same. The token endpoint is called
 * once; its answer is then checked by openid-client against the filled-in issuer.
 */
export async function exchangeCode(x: ExchangeInput): Promise<ExchangeResult> {
  const expected = { issuer: x.rp.issuer, clientId: x.rp.clientId };
  const params = { ...x.checks, idTokenExpected: true };
  if (x.match.kind !== 'multi_tenant') {
    try {
      return {
        ok: true,
        tokens: await client.authorizationCodeGrant(x.build(x.meta, x.fetch), x.url, params, undefined, {}),
      };
    } catch (error) {
      return { ok: false, failed: describeTokenError(await readChallengeBody(error), expected, x.method, x.auto) };
    }
  }

  // Multi-tenant: keep the token endpoint's answer, read tid from it, then check everything against the filled issuer.
  let answer: { body: string; status: number; headers: Headers } | null = null;
  const capture: client.CustomFetch = async (url, init) => {
    const res = await x.fetch(url, init);
    if (url.split('?')[0] === x.meta.token_endpoint)
      answer = { body: await res.clone().text(), status: res.status, headers: new Headers(res.headers) };
    return res;
  };
  let firstError: unknown;
  // The callback's `iss` (RFC 9207) names the tenant, not the template: it is checked in the second pass.
  const withoutIss = new URL(x.url);
  withoutIss.searchParams.delete('iss');
  try {
    await client.authorizationCodeGrant(
      x.build({ ...x.meta, authorization_response_iss_parameter_supported: false }, capture),
      withoutIss,
      params,
      undefined,
      {},
    );
  } catch (error) {
    firstError = error;
  }
  const got = answer as { body: string; status: number; headers: Headers } | null;
  if (!got || got.status !== 200)
    return { ok: false, failed: describeTokenError(await readChallengeBody(firstError), expected, x.method, x.auto) };
  let idToken: string | undefined;
  try {
    idToken = (JSON.parse(got.body) as { id_token?: string }).id_token;
  } catch {
    return { ok: false, failed: describeTokenError(firstError, expected, x.method) };
  }
  const tid = idToken ? (decodeJwt(idToken).tid as unknown) : undefined;
  if (typeof tid !== 'string' || !TENANT_GUID.test(tid)) {
    return {
      ok: false,
      failed: {
        step: 'iss',
        code: 'issuer_not_allowed',
        message:
          `the ID token’s tid is ${tid === undefined ? 'missing' : JSON.stringify(tid)}, not ` +
          `a tenant GUID: a multi-tenant issuer (${x.match.template}) is accepted only with one`,
      },
    };
  }
  const issuer = x.match.template.replace('{tenantid}', tid);
  const replay: client.CustomFetch = async (url, init) =>
    url.split('?')[0] === x.meta.token_endpoint
      ? new Response(got.body, { status: got.status, headers: got.headers })
      : x.fetch(url, init);
  let tokens: Tokens;
  try {
    tokens = await client.authorizationCodeGrant(x.build({ ...x.meta, issuer }, replay), x.url, params, undefined, {});
  } catch (error) {
    return { ok: false, failed: describeTokenError(error, { ...expected, issuer }, x.method) };
  }
  // The signing key's issuer, where the JWKS gives one (Entra ID does, with the same {tenantid} template).
  const kid = decodeProtectedHeader(tokens.id_token!).kid;
  const keyIssuer = await signingKeyIssuer(x.meta.jwks_uri, kid, x.fetch);
  if (keyIssuer !== null) {
    const fromKey = keyIssuer.replace('{tenantid}', tid);
    if (fromKey !== tokens.claims()!.iss) {
      return {
        ok: false,
        failed: {
          step: 'iss',
          code: 'issuer_not_allowed',
          message:
            `the ID token’s iss ${tokens.claims()!.iss} does not match the issuer of its signing ` +
            `key (${fromKey}, kid ${kid ?? 'none'}): refused by Microsoft’s rule`,
        },
      };
    }
  }
  return {
    ok: true,
    tokens,
    tenantNote:
      `tenant ${tid} from tid, filled into ${x.match.template}` +
      `${keyIssuer !== null ? '; the signing key’s issuer agrees' : '; the signing key names no issuer'}`,
  };
}

async function signingKeyIssuer(
  jwksUri: string | undefined,
  kid: string | undefined,
  fetch: client.CustomFetch,
): Promise<string | null> {
  if (!jwksUri) return null;
  try {
    const res = await fetch(jwksUri, {
      method: 'GET',
      headers: { accept: 'application/json' },
      body: undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
    const jwks = (await res.json()) as { keys?: Array<{ kid?: string; issuer?: unknown }> };
    const key = jwks.keys?.find((k) => k.kid === kid) ?? (jwks.keys?.length === 1 ? jwks.keys[0] : undefined);
    return typeof key?.issuer === 'string' ? key.issuer : null;
  } catch {
    return null;
  }
}
