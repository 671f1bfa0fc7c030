import { CLAIM_SCOPE } from './oidc-config';
import { explainIdpError } from './idp-errors';

/**
 * The one sentence that ends a Simulator run: why the login failed (or that it worked), in the
 * words a support person would write to the customer. No jargon beyond what the customer's IT team
 * would recognise, one sentence, and always what to do next. Pure: the engine collects the facts.
 */
export interface RunFacts {
  /** The outcome code of the engine (`authentication_failed`, `sso_required`, `token_expired`…), or `signed_in`. */
  code: string;
  /** The email the run is about (the one the IdP asserted, once it did). */
  email: string;
  accountName?: string | undefined;
  /** How the password was checked: by the organization's login service or by SSO Desk. */
  passwordMethod?: 'passthrough' | 'password' | undefined;
  /** The organization's login service (pass-through) host, e.g. `auth.globex.test`. */
  serviceHost?: string | undefined;
  /** The HTTP answer that decided, when one did. */
  status?: number | undefined;
  statusText?: string | undefined;
  /** The identity provider's host. */
  idpHost?: string | undefined;
  /** An OAuth error code the IdP sent back (`access_denied`…). */
  idpError?: string | undefined;
  /** The IdP's `error_description` (Entra ID puts its AADSTS code there). */
  idpErrorDescription?: string | undefined;
  /** The user the IdP signed in, when it is not the one typed (`other_user`). */
  assertedEmail?: string | undefined;
  /** The claim that identifies the user, and the scopes the IdP granted (`claim_missing`). */
  userClaim?: string | undefined;
  grantedScopes?: string | undefined;
  /** The scopes SSO Desk asked for (`claim_missing`): what was granted when the IdP names none. */
  requestedScopes?: string | undefined;
  /** The client authentication method used at the token endpoint (`token_refused`). */
  clientAuth?: string | undefined;
  /** A fixed redirect port that was taken (`port_in_use`). */
  port?: number | undefined;
  /** The accounts to choose from. */
  accounts?: string[] | undefined;
  retryAfterSeconds?: number | undefined;
  /** The engine's own message: the last resort, for a code this module does not know. */
  message?: string | undefined;
}

const who = (email: string): string => email.split('@')[0] || email;
const possessive = (name: string): string => (/s$/i.test(name) ? `${name}’` : `${name}’s`);
const theirOrg = (f: RunFacts): string => f.accountName ?? 'their organization';
const orgs = (f: RunFacts): string => possessive(f.accountName ?? 'Their organization');
const answered = (f: RunFacts): string =>
  f.status ? ` (it answered ${f.status}${f.statusText ? ` ${f.statusText}` : ''})` : '';
const idp = (f: RunFacts): string => `${orgs(f)} identity provider${f.idpHost ? ` at ${f.idpHost}` : ''}`;
const service = (f: RunFacts): string => `${orgs(f)} login service${f.serviceHost ? ` at ${f.serviceHost}` : ''}`;
const list = (names: string[]): string =>
  names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
const stripDot = (s: string): string => s.replace(/[.\s]+$/, '');
const SSO_SETTINGS = 'Settings › Security › SSO';

/** The catalogue's entry for the IdP's error, as "AADSTS50105 (…): …", or null when it has none. */
function catalogued(f: RunFacts): string | null {
  if (!f.idpError && !f.idpErrorDescription) return null;
  const x = explainIdpError({ error: f.idpError, error_description: f.idpErrorDescription });
  if (!x.entry) return null;
  const ids = [x.traceId && `trace ID ${x.traceId}`, x.correlationId && `correlation ID ${x.correlationId}`]
    .filter(Boolean)
    .join(', ');
  return `the identity provider answered ${x.entry.id} (${x.entry.meaning}${ids ? `; ${ids}` : ''}): ${x.entry.action}`;
}

/**
 * The sentence for a run's outcome. Always one sentence, ending with a full stop.
 *
 * Long because it is one case per outcome code, each the sentence support reads; a table of functions would only
 * scatter them.
 */
export function supportSentence(f: RunFacts): string {
  const u = who(f.email);
  switch (f.code) {
    case 'signed_in':
      return (
        `${f.email} signed in to ${theirOrg(f)}${f.passwordMethod === 'passthrough' ? ` through ${service(f)}` : ''}: ` +
        `the login works from SSO Desk’s side, so the problem is likely on ${u}’s device or network.`
      );
    case 'deactivated':
      return (
        `${f.email} is deactivated in ${theirOrg(f)}, so every sign-in is refused whatever ` +
        `the password; an admin of ${theirOrg(f)} can reactivate ${u} (or the identity provider, ` +
        `if it provisions ${u}).`
      );
    case 'missing_password':
      return `${theirOrg(f)} signs ${u} in with a password: type the password ${u} uses to replay the login.`;
    case 'not_registered':
      return `${f.email} is not a registered user; check the address ${u} typed, or ask an admin of ${theirOrg(f)} to invite them.`;
    case 'idp_email_unknown':
      return (
        `The identity provider signed in ${f.email}, who is not a registered user here; ask ` +
        `${u} to sign in at the identity provider with the address they were invited with.`
      );
    case 'no_account':
      return `${f.email} is registered but belongs to no organization; ask an admin to add ${u} to theirs.`;
    case 'not_a_member':
      return `${f.email} is not a member of ${theirOrg(f)}; check which organization ${u} signs in to.`;
    case 'choose_account':
      return (
        `${f.email} belongs to ${f.accounts?.length ? list(f.accounts) : 'several organizations'}; ` +
        `pick the one ${u} signs in to and run it again.`
      );
    case 'sso_required':
      return `${theirOrg(f)} requires single sign-on: ${u} should use “Sign in with SSO” instead of a password.`;
    case 'sso_not_enabled':
      return `${theirOrg(f)} does not use single sign-on: ${u} should sign in with a password instead.`;
    case 'authentication_failed':
      if (f.passwordMethod === 'passthrough')
        return (
          `${service(f)} did not accept the password for ${f.email}${answered(f)}; ask them ` +
          `to check the password they use for that service.`
        );
      return `The password for ${f.email} is not the one on file; ask ${u} to re-type it or use “Forgot password”.`;
    case 'external_auth_unavailable':
      if (f.status)
        return `${service(f)} is failing${answered(f)}, so the password was never checked; ask their IT team to look at that service.`;
      return (
        `${service(f)} could not be reached${f.message ? ` (${stripDot(f.message)})` : ''}, ` +
        `so the password was never checked; ask their IT team whether that service is up.`
      );
    case 'passthrough_missing':
      return (
        `${theirOrg(f)} checks passwords with its own login service, but none is configured; ` +
        `an admin needs to finish Settings › External user authentication.`
      );
    case 'unsafe_value':
      return (
        `What ${u} typed contains characters that cannot be sent safely to ${service(f)}; ` +
        `ask them to check the email and device name.`
      );
    case 'too_many_attempts':
      return (
        `There were too many failed logins for ${f.email}; ask ${u} to wait ${f.retryAfterSeconds ?? 'a few'} ` +
        `seconds and try again with the right password.`
      );
    case 'idp_unreachable':
      return `${idp(f)} could not be reached; ask their IT team whether it is up.`;
    case 'idp_discovery_failed':
      if (f.message && /^the IdP is failing/.test(f.message))
        return (
          `${idp(f)} is failing (its configuration answered a server error), so nobody can sign ` +
          `in through it right now; try again later, or ask their IT team to check the IdP.`
        );
      return `${idp(f)} does not publish a usable configuration; an admin should run “Test connection” in ${SSO_SETTINGS}.`;
    case 'idp_error': {
      const known = catalogued(f);
      if (known) return `${f.email} could not sign in: ${known}.`;
      return f.idpError === 'access_denied'
        ? `The identity provider refused to sign ${f.email} in (access_denied); ask their IT team whether ${u} is assigned to this app.`
        : `The identity provider answered with an error${f.idpError ? ` (${f.idpError})` : ''} ` +
            `instead of signing ${f.email} in; ask their IT team to check the app’s setup there.`;
    }
    case 'other_user':
      return (
        `The IdP signed in ${f.assertedEmail ?? 'another user'}, not ${f.email}: it reused ` +
        `an open session — run again with a fresh login.`
      );
    case 'claim_missing': {
      const claim = f.userClaim ?? 'email';
      const usual = CLAIM_SCOPE[claim];
      if (usual && f.requestedScopes !== undefined && !f.requestedScopes.split(' ').includes(usual))
        return (
          `The identity provider did not send the '${claim}' claim that identifies ${f.email} ` +
          `because SSO Desk did not ask for the scope '${usual}' (it asked for '${f.requestedScopes}'); ` +
          `an admin should add ${usual} to Scopes in ${SSO_SETTINGS}.`
        );
      const declined =
        claim === 'email' && f.grantedScopes !== undefined && !f.grantedScopes.split(' ').includes('email');
      const granted =
        f.grantedScopes !== undefined
          ? `the IdP granted ${declined ? 'only ' : ''}'${f.grantedScopes}'`
          : 'the IdP did not say which scopes it granted';
      const consent = declined ? `: the user did not consent to 'email'` : '';
      return (
        `The identity provider did not send the '${claim}' claim that identifies ${f.email} ` +
        `(${granted}${consent}); ask ${u} to sign in again and allow it, or have an admin ` +
        `choose another claim in ${SSO_SETTINGS}.`
      );
    }
    case 'port_in_use':
      return (
        `SSO Desk could not listen on the fixed redirect port${f.port ? ` ${f.port}` : ''} ` +
        `because another program uses it; close that program or have an admin choose another ` +
        `port in ${SSO_SETTINGS} (and register it at the identity provider).`
      );
    case 'issuer_not_allowed':
      return (
        `The identity provider’s token does not come from a tenant SSO Desk can accept; an ` +
        `admin should check the IdP URL (tenant) in ${SSO_SETTINGS}.`
      );
    case 'timed_out':
      return (
        `The sign-in for ${f.email} was not finished at the identity provider in time; ask ` +
        `${u} to try again and complete the sign-in page.`
      );
    case 'cancelled':
      return `The sign-in for ${f.email} was cancelled before the identity provider answered.`;
    case 'state_mismatch':
    case 'second_callback':
    case 'nonce_mismatch':
      return (
        `The answer from the identity provider did not belong to this sign-in (an old or replayed ` +
        `link); ask ${u} to start again with a fresh “Sign in with SSO”.`
      );
    case 'no_code':
      return `The identity provider came back without a sign-in code; ask their IT team to check the app’s redirect settings there.`;
    case 'token_refused': {
      const known = catalogued(f);
      if (known)
        return (
          `${idp(f)} refused to finish the sign-in${f.clientAuth ? ` (credentials sent as ${f.clientAuth})` : ''}: ` +
          `${known.replace(/^the identity provider answered /, 'it answered ')}.`
        );
      if (f.clientAuth)
        return (
          `${idp(f)} refused the app’s credentials sent as ${f.clientAuth}; an admin should ` +
          `check the Client Secret and the client authentication method at the identity provider ` +
          `and in ${SSO_SETTINGS}.`
        );
      return (
        `${idp(f)} refused to finish the sign-in (it rejected the code or the app’s credentials); ` +
        `an admin should check the Client ID and Client Secret in ${SSO_SETTINGS}.`
      );
    }
    case 'issuer_mismatch':
      return (
        `The identity provider’s token names a different issuer than ${theirOrg(f)} is set ` +
        `up for; an admin should check the IdP URL in ${SSO_SETTINGS}.`
      );
    case 'audience_mismatch':
      return `The identity provider issued the token for a different app; an admin should check the Client ID in ${SSO_SETTINGS}.`;
    case 'token_expired':
    case 'token_time_invalid':
      return (
        `The identity provider’s token was already expired or not yet valid when it arrived, ` +
        `which usually means a clock is wrong; ask their IT team to check the time on the identity provider.`
      );
    case 'bad_signature':
    case 'no_signing_key':
    case 'bad_algorithm':
      return (
        `The identity provider’s token could not be verified with the keys it publishes; ask ` +
        `their IT team whether its signing keys or algorithm changed recently.`
      );
    case 'email_not_verified':
      return (
        `The identity provider did not send back a verified email address for ${f.email}; ` +
        `ask their IT team to mark ${u}’s address as verified there.`
      );
    case 'no_sso_account':
      return `${f.email} has no organization that signs in through this identity provider; check which organization ${u} belongs to.`;
    default: {
      // The verdict already says "Failed": the engine's own "token exchange failed: …" loses its "failed",
      // so a run reads "Failed: Token exchange: …" — one prefix, not three.
      const said = f.message ? stripDot(f.message).replace(/^([^:]{1,60}?) failed: /i, '$1: ') : f.code;
      return `${said.charAt(0).toUpperCase()}${said.slice(1)}.`;
    }
  }
}
