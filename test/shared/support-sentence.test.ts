import { describe, expect, it } from 'vitest';
import { supportSentence } from '../../src/shared/support-sentence';

describe('the one sentence that ends a Simulator run', () => {
  it('says a pass-through refusal as support would write it', () => {
    expect(
      supportSentence({
        code: 'authentication_failed',
        email: 'frank@globex.test',
        accountName: 'Globex',
        passwordMethod: 'passthrough',
        serviceHost: 'auth.globex.test',
        status: 401,
        statusText: 'Unauthorized',
      }),
    ).toBe(
      'Globex’s login service at auth.globex.test did not accept the password for frank@globex.test (it answered 401 Unauthorized); ask them to check the password they use for that service.',
    );
  });

  it('points an SSO-enforced user to “Sign in with SSO”', () => {
    expect(supportSentence({ code: 'sso_required', email: 'ann@acme.test', accountName: 'Acme Corp' })).toBe(
      'Acme Corp requires single sign-on: ann should use “Sign in with SSO” instead of a password.',
    );
  });

  it('names the missing verified email', () => {
    expect(supportSentence({ code: 'email_not_verified', email: 'ann@acme.test', accountName: 'Acme Corp' })).toMatch(
      /^The identity provider did not send back a verified email address for ann@acme\.test; /,
    );
  });

  it('tells a broken service from a wrong password, and a local password from a service', () => {
    const down = supportSentence({
      code: 'external_auth_unavailable',
      email: 'frank@globex.test',
      accountName: 'Globex Inc',
      serviceHost: 'auth.globex.test',
      status: 503,
      statusText: 'Service Unavailable',
    });
    expect(down).toBe(
      'Globex Inc’s login service at auth.globex.test is failing (it answered 503 Service Unavailable), so the password was never checked; ask their IT team to look at that service.',
    );
    const unreachable = supportSentence({
      code: 'external_auth_unavailable',
      email: 'f@g.test',
      accountName: 'Globex Inc',
      serviceHost: 'auth.globex.test',
      message: 'the connection was refused.',
    });
    expect(unreachable).toContain('could not be reached (the connection was refused)');
    expect(
      supportSentence({ code: 'authentication_failed', email: 'bob@acme.test', passwordMethod: 'password' }),
    ).toContain('“Forgot password”');
  });

  it('possessive of a name ending in s, and no account name at all', () => {
    expect(
      supportSentence({
        code: 'idp_unreachable',
        email: 'a@b.test',
        accountName: 'Initech Systems',
        idpHost: 'login.initech.test',
      }),
    ).toBe(
      'Initech Systems’ identity provider at login.initech.test could not be reached; ask their IT team whether it is up.',
    );
    expect(supportSentence({ code: 'idp_unreachable', email: 'a@b.test' })).toBe(
      'Their organization’s identity provider could not be reached; ask their IT team whether it is up.',
    );
  });

  it('lists the accounts to choose from', () => {
    expect(
      supportSentence({ code: 'choose_account', email: 'dana@example.test', accounts: ['Acme Corp', 'Globex Inc'] }),
    ).toBe('dana@example.test belongs to Acme Corp and Globex Inc; pick the one dana signs in to and run it again.');
  });

  it('falls back to the engine’s message for a code it does not know', () => {
    expect(supportSentence({ code: 'weird', email: 'a@b.test', message: 'something odd happened.' })).toBe(
      'Something odd happened.',
    );
  });

  it('says "failed" once: the verdict\'s "Failed:" is the only one (issue #23 §6)', () => {
    const sentence = supportSentence({
      code: 'token_exchange_failed',
      email: 'a@b.test',
      message: 'token exchange failed: the IdP refused the client (invalid_client).',
    });
    expect(sentence).toBe('Token exchange: the IdP refused the client (invalid_client).');
    expect(`Failed: ${sentence}`.match(/failed/gi)).toHaveLength(1);
  });

  const CODES = [
    'signed_in',
    'missing_password',
    'not_registered',
    'idp_email_unknown',
    'no_account',
    'not_a_member',
    'choose_account',
    'sso_required',
    'sso_not_enabled',
    'authentication_failed',
    'external_auth_unavailable',
    'passthrough_missing',
    'unsafe_value',
    'too_many_attempts',
    'idp_unreachable',
    'idp_discovery_failed',
    'idp_error',
    'timed_out',
    'cancelled',
    'state_mismatch',
    'second_callback',
    'nonce_mismatch',
    'no_code',
    'token_refused',
    'issuer_mismatch',
    'audience_mismatch',
    'token_expired',
    'token_time_invalid',
    'bad_signature',
    'no_signing_key',
    'bad_algorithm',
    'email_not_verified',
    'no_sso_account',
    'token_exchange_failed',
    'engine_error',
  ];
  it.each(CODES)('%s: exactly one sentence, ending with a full stop, naming nobody but the user', (code) => {
    const s = supportSentence({
      code,
      email: 'ann@acme.test',
      accountName: 'Acme Corp',
      idpHost: 'idp.acme.test',
      serviceHost: 'auth.acme.test',
      status: 401,
      statusText: 'Unauthorized',
      message: 'engine message',
    });
    expect(s).toMatch(/\.$/);
    // One sentence: no full stop followed by a new sentence (domain names have no space after the dot).
    expect(s.slice(0, -1)).not.toMatch(/[.!?]\s/);
    expect(s).not.toContain('undefined');
  });
});
