import { useEffect, useId, useState } from 'react';
import type { OidcConfigView } from '@shared/contract/oidc';
import { CLIENT_AUTH_METHODS, USER_CLAIMS, type ClientAuthMethod } from '@shared/domain';
import { checkRedirectPort, checkUserClaim } from '@shared/oidc-config';
import { findPreset, registeredRedirectUri } from '@shared/oidc-presets';

/** The part of the SSO draft these fields edit; absent = keep what is stored. */
export interface ClientFieldsValue {
  redirectPort?: number | null | undefined;
  clientAuth?: ClientAuthMethod | undefined;
  userClaim?: string | undefined;
  /** Write-only: a private key to import for private_key_jwt. */
  clientPrivateKey?: string | undefined;
  newClientKey?: boolean | undefined;
}

const AUTH_LABELS: Record<ClientAuthMethod, string> = {
  auto: 'Automatic (from the IdP’s discovery document)',
  client_secret_basic: 'client_secret_basic — secret in the Authorization header',
  client_secret_post: 'client_secret_post — secret in the request body',
  none: 'none — public client (PKCE only)',
  private_key_jwt: 'private_key_jwt — signed with a key pair (RFC 7523)',
};

type Problems = ((field: string) => string | undefined) | undefined;

/**
 * Settings › Security › SSO: the redirect port, the client authentication method and the claim that
 * identifies the user. Holds no state of its own beyond what is being typed: the draft lives in the
 * form around it (`value` / `onChange`), and nothing here is saved until the form's Save.
 */
export function ClientFields({
  view,
  preset,
  redirectHost,
  value,
  onChange,
  problemOf,
}: {
  view: OidcConfigView;
  preset: string;
  redirectHost: '127.0.0.1' | 'localhost';
  value: ClientFieldsValue;
  onChange: (next: ClientFieldsValue) => void;
  /** A server-side problem for a field, if the last Save named it. */
  problemOf?: (field: string) => string | undefined;
}) {
  const id = useId();
  const presetDef = findPreset(preset);
  const set = (patch: ClientFieldsValue) => onChange({ ...value, ...patch });
  const auth = value.clientAuth ?? view.clientAuth;
  return (
    <fieldset className="card" aria-labelledby={`${id}-legend`}>
      <legend id={`${id}-legend`}>Redirect, client authentication and user claim</legend>
      <RedirectPort
        id={id}
        port={value.redirectPort !== undefined ? value.redirectPort : view.redirectPort}
        proposed={presetDef?.redirect.proposedPort ?? 8765}
        note={presetDef ? ` ${presetDef.vendor}: ${presetDef.redirect.note}` : ''}
        redirectHost={redirectHost}
        set={set}
        problem={problemOf?.('redirectPort')}
      />
      <label htmlFor={`${id}-auth`}>Client authentication</label>
      <select
        id={`${id}-auth`}
        value={auth}
        aria-describedby={`${id}-auth-note`}
        onChange={(e) => set({ clientAuth: e.target.value as ClientAuthMethod })}
      >
        {CLIENT_AUTH_METHODS.map((m) => (
          <option key={m} value={m}>
            {AUTH_LABELS[m]}
          </option>
        ))}
      </select>
      <p id={`${id}-auth-note`} className={problemOf?.('clientAuth') ? 'bad' : 'muted'}>
        {problemOf?.('clientAuth') ??
          `Saved: ${view.clientAuthNote}.${presetDef?.clientAuth ? ` ${presetDef.vendor}: ${presetDef.clientAuth.note}` : ''}`}
      </p>
      {(auth === 'private_key_jwt' || view.clientKeySet) && (
        <ClientKeyPair id={id} view={view} value={value} set={set} problemOf={problemOf} />
      )}
      <UserClaim
        id={id}
        claim={value.userClaim ?? view.userClaim}
        note={presetDef?.userClaim?.note}
        set={set}
        problem={problemOf?.('userClaim')}
      />
    </fieldset>
  );
}

/** Any port, or a fixed one (for IdPs that match it exactly): typed as text, kept in the draft as a number. */
function RedirectPort(p: {
  id: string;
  port: number | null;
  proposed: number;
  note: string;
  redirectHost: '127.0.0.1' | 'localhost';
  set: (patch: ClientFieldsValue) => void;
  problem: string | undefined;
}) {
  const { id, port, set } = p;
  const [portText, setPortText] = useState(port === null ? String(p.proposed) : String(port));
  // A port set from outside (a preset proposing one, Discard) shows in the field too.
  useEffect(() => {
    if (port !== null && !Number.isNaN(port) && String(port) !== portText.trim()) setPortText(String(port));
    // Only an outside change of the port re-seeds the text (typing changes both together).
  }, [port]);
  const problem = (port === null ? null : checkRedirectPort(port)) ?? p.problem;
  const setPort = (text: string) => {
    setPortText(text);
    set({ redirectPort: text.trim() === '' ? Number.NaN : Number(text) });
  };
  return (
    <>
      <p id={`${id}-port-label`}>Redirect port</p>
      <div role="radiogroup" aria-labelledby={`${id}-port-label`}>
        <label className="check">
          <input
            type="radio"
            name={`${id}-port`}
            checked={port === null}
            onChange={() => set({ redirectPort: null })}
          />{' '}
          Any port (registered without a port)
        </label>
        <label className="check">
          <input type="radio" name={`${id}-port`} checked={port !== null} onChange={() => setPort(portText)} /> Fixed
          port (for IdPs that match the port exactly, such as Okta)
        </label>
      </div>
      {port !== null && (
        <>
          <label htmlFor={`${id}-port`}>Fixed port</label>
          <input
            id={`${id}-port`}
            inputMode="numeric"
            size={6}
            value={portText}
            aria-invalid={problem ? true : undefined}
            aria-describedby={`${id}-port-note`}
            onChange={(e) => setPort(e.target.value)}
          />
        </>
      )}
      <p id={`${id}-port-note`} className={problem ? 'bad' : 'muted'}>
        {problem ??
          `Register ${registeredRedirectUri(p.redirectHost, port !== null && !Number.isNaN(port) ? port : null)} ` +
            `at the IdP.${p.note}`}
      </p>
    </>
  );
}

/** The claim whose value is the user's email: one of the usual ones, or another typed by name. */
function UserClaim(p: {
  id: string;
  claim: string;
  note: string | undefined;
  set: (patch: ClientFieldsValue) => void;
  problem: string | undefined;
}) {
  const { id, claim, set } = p;
  const custom = !(USER_CLAIMS as readonly string[]).includes(claim);
  const ownProblem = checkUserClaim(claim) ?? (claim === '' ? 'required' : null);
  const problem = ownProblem ?? p.problem;
  return (
    <>
      <label htmlFor={`${id}-claim`}>Claim that identifies the user</label>
      <select
        id={`${id}-claim`}
        value={custom ? '' : claim}
        aria-describedby={`${id}-claim-note`}
        onChange={(e) => set({ userClaim: e.target.value })}
      >
        {USER_CLAIMS.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
        <option value="">Another claim…</option>
      </select>
      {custom && (
        <>
          <label htmlFor={`${id}-claim-name`}>Claim name</label>
          <input
            id={`${id}-claim-name`}
            size={24}
            value={claim}
            aria-invalid={ownProblem ? true : undefined}
            onChange={(e) => set({ userClaim: e.target.value })}
          />
        </>
      )}
      <p id={`${id}-claim-note`} className={problem ? 'bad' : 'muted'}>
        {problem ?? p.note ?? 'Its value must be the user’s email address in SSO Desk (email by default).'}
      </p>
    </>
  );
}

/** private_key_jwt: the public JWKS to register, a new key pair on Save, or an imported private key. */
function ClientKeyPair(p: {
  id: string;
  view: OidcConfigView;
  value: ClientFieldsValue;
  set: (patch: ClientFieldsValue) => void;
  problemOf: Problems;
}) {
  const { id, view, value, set, problemOf } = p;
  return (
    <section aria-label="Key pair for private_key_jwt">
      {view.clientJwks ? (
        <>
          <label htmlFor={`${id}-jwks`}>Public key to register at the IdP (JWKS)</label>
          <textarea id={`${id}-jwks`} readOnly rows={4} cols={60} value={JSON.stringify(view.clientJwks, null, 2)} />
          <p className="muted">The private key is stored encrypted and never shown.</p>
        </>
      ) : (
        <p className="muted">Save to generate a key pair; its public JWKS then appears here to register at the IdP.</p>
      )}
      <label className="check">
        <input
          type="checkbox"
          checked={value.newClientKey === true}
          onChange={(e) => set({ newClientKey: e.target.checked || undefined })}
        />{' '}
        Generate a new key pair on Save (register the new public key at the IdP)
      </label>
      <label htmlFor={`${id}-key`}>Or import a private key (PKCS#8 PEM or JWK)</label>
      <textarea
        id={`${id}-key`}
        rows={3}
        cols={60}
        autoComplete="off"
        spellCheck={false}
        value={value.clientPrivateKey ?? ''}
        aria-invalid={problemOf?.('clientPrivateKey') ? true : undefined}
        onChange={(e) => set({ clientPrivateKey: e.target.value === '' ? undefined : e.target.value })}
      />
      {problemOf?.('clientPrivateKey') && <p className="bad">{problemOf('clientPrivateKey')}</p>}
    </section>
  );
}
