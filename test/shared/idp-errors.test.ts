import { describe, expect, it } from 'vitest';
import { CATALOGUED_AADSTS, describeIdpError, explainIdpError, waitingHint } from '../../src/shared/idp-errors';
import { matchIssuer } from '../../src/shared/issuer-match';
import { supportSentence } from '../../src/shared/support-sentence';

describe('the offline catalogue of IdP errors', () => {
  it('holds every AADSTS code admins meet most', () => {
    for (const code of [
      '50011',
      '50020',
      '50034',
      '50053',
      '50057',
      '50058',
      '50076',
      '50105',
      '50126',
      '50194',
      '501481',
      '700016',
      '7000215',
      '7000218',
    ]) {
      expect(CATALOGUED_AADSTS).toContain(`AADSTS${code}`);
      expect(
        explainIdpError({ error: 'invalid_request', error_description: `AADSTS${code}: something` }).entry?.id,
      ).toBe(`AADSTS${code}`);
    }
  });

  it('reads trace and correlation IDs from the description or the JSON fields', () => {
    const x = explainIdpError({
      error: 'invalid_grant',
      error_description:
        'AADSTS50126: Error validating credentials. Trace ID: 11111111-2222-3333-4444-555555555555 Correlation ID: 66666666-7777-8888-9999-000000000000',
    });
    expect(x).toMatchObject({
      aadsts: 'AADSTS50126',
      traceId: '11111111-2222-3333-4444-555555555555',
      correlationId: '66666666-7777-8888-9999-000000000000',
    });
    expect(
      describeIdpError({
        error: 'invalid_client',
        error_description: 'AADSTS7000218: no secret',
        trace_id: 'a',
        correlation_id: 'b',
      }),
    ).toBe(
      'AADSTS7000218: the token request carries no client secret or assertion, and the app is not a public client — give the client secret, or turn on "Allow public client flows" for a public client (trace ID a, correlation ID b)',
    );
  });

  it('knows Okta’s and Keycloak’s messages, then the RFC codes; an unknown error has no entry', () => {
    expect(
      explainIdpError({
        error: 'invalid_request',
        error_description: "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings",
      }).entry?.id,
    ).toBe('okta:redirect_uri');
    expect(
      explainIdpError({ error: 'access_denied', error_description: 'User is not assigned to the client application.' })
        .entry?.id,
    ).toBe('okta:user_not_assigned');
    expect(
      explainIdpError({
        error: 'invalid_client',
        error_description: 'The client secret supplied for a confidential client is invalid.',
      }).entry?.id,
    ).toBe('okta:invalid_client');
    expect(
      explainIdpError({ error: 'invalid_request', error_description: 'Invalid parameter: redirect_uri' }).entry?.id,
    ).toBe('keycloak:invalid_redirect_uri');
    expect(explainIdpError({ error: 'unauthorized_client', error_description: 'Client not found.' }).entry?.id).toBe(
      'keycloak:client_not_found',
    );
    for (const code of [
      'invalid_request',
      'unauthorized_client',
      'access_denied',
      'invalid_scope',
      'server_error',
      'temporarily_unavailable',
      'invalid_client',
      'invalid_grant',
      'login_required',
      'interaction_required',
      'consent_required',
    ]) {
      expect(explainIdpError({ error: code }).entry?.id).toBe(code);
    }
    expect(explainIdpError({ error: 'weird_thing' }).entry).toBeNull();
  });

  it('while waiting, says what an IdP error page usually means', () => {
    expect(waitingHint('http://127.0.0.1/callback', false)).toContain('use a fixed port');
    expect(waitingHint('http://127.0.0.1:8765/callback', true)).toContain(
      'not registered exactly as http://127.0.0.1:8765/callback, or the Client ID is unknown',
    );
  });
});

describe('Entra ID issuers (Microsoft’s rules)', () => {
  const guid = 'b5f1b7a2-0c1d-4e5f-9a8b-1c2d3e4f5a6b';
  it('accepts a domain resolved to its GUID issuer and the {tenantid} template of common/organizations; nothing else', () => {
    expect(
      matchIssuer(
        'https://login.microsoftonline.com/contoso.com/v2.0',
        `https://login.microsoftonline.com/${guid}/v2.0`,
      ),
    ).toMatchObject({ kind: 'tenant_resolved', tenant: 'contoso.com', tenantId: guid });
    expect(
      matchIssuer(
        'https://login.microsoftonline.com/organizations/v2.0',
        'https://login.microsoftonline.com/{tenantid}/v2.0',
      ),
    ).toMatchObject({ kind: 'multi_tenant' });
    expect(
      matchIssuer('https://login.microsoftonline.com/common/v2.0', 'https://login.microsoftonline.com/{tenantid}/v2.0'),
    ).toMatchObject({ kind: 'multi_tenant' });
    expect(
      matchIssuer('https://login.microsoftonline.com/contoso.com/v2.0', 'https://evil.example/' + guid + '/v2.0').kind,
    ).toBe('mismatch');
    expect(
      matchIssuer(
        'https://login.microsoftonline.com/contoso.com/v2.0',
        'https://login.microsoftonline.com/{tenantid}/v2.0',
      ).kind,
    ).toBe('mismatch');
    expect(matchIssuer('https://idp.example/a', 'https://idp.example/b').kind).toBe('mismatch');
  });
});

describe('the sentences of the new outcomes', () => {
  it('other_user, claim_missing, token_refused with the method, idp_error with an AADSTS code, port_in_use', () => {
    expect(supportSentence({ code: 'other_user', email: 'ann@acme.test', assertedEmail: 'dana@example.test' })).toBe(
      'The IdP signed in dana@example.test, not ann@acme.test: it reused an open session — run again with a fresh login.',
    );
    expect(
      supportSentence({
        code: 'claim_missing',
        email: 'ann@acme.test',
        userClaim: 'email',
        grantedScopes: 'openid profile',
      }),
    ).toContain("the IdP granted only 'openid profile': the user did not consent to 'email'");
    expect(
      supportSentence({
        code: 'token_refused',
        email: 'ann@acme.test',
        accountName: 'Acme',
        clientAuth: 'client_secret_post',
      }),
    ).toBe(
      'Acme’s identity provider refused the app’s credentials sent as client_secret_post; an admin should check the Client Secret and the client authentication method at the identity provider and in Settings › Security › SSO.',
    );
    expect(
      supportSentence({
        code: 'idp_error',
        email: 'ann@acme.test',
        idpError: 'access_denied',
        idpErrorDescription: 'AADSTS50105: not assigned',
      }),
    ).toBe(
      'ann@acme.test could not sign in: the identity provider answered AADSTS50105 (the user is not assigned to the app, and the app requires assignment): assign the user (or a group of theirs) to the app under Enterprise applications › Users and groups.',
    );
    expect(supportSentence({ code: 'port_in_use', email: 'ann@acme.test', port: 8765 })).toContain(
      'the fixed redirect port 8765 because another program uses it',
    );
  });
});
