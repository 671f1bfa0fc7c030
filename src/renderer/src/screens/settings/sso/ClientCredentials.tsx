import { FieldNote } from './FieldNote';
import type { SsoFieldsProps } from './oidc-draft';

/** The client ID, and the client secret: write-only, kept encrypted, or none for a public client. */
export function ClientCredentials({ view, form, problemOf }: Omit<SsoFieldsProps, 'd'>) {
  return (
    <>
      <label htmlFor="sso-client-id">Client ID</label>
      <input
        id="sso-client-id"
        size={40}
        aria-invalid={problemOf('clientId') ? true : undefined}
        {...form.register('clientId')}
      />
      <FieldNote label="Client ID" problem={problemOf('clientId')} />

      <label htmlFor="sso-client-secret">Client Secret</label>
      <input
        id="sso-client-secret"
        type="password"
        autoComplete="new-password"
        size={40}
        placeholder={
          view.clientSecretSet ? 'A secret is set — type to replace it' : 'None: a public client (PKCE only)'
        }
        {...form.register('clientSecret')}
      />
      <p className="muted" aria-label="Client secret status">
        {view.clientSecretSet
          ? 'A client secret is stored (encrypted). It is never shown again.'
          : 'No client secret: the app is a public client; PKCE protects the code exchange and no client_secret is sent.'}
      </p>
      {view.clientSecretSet && (
        <label className="check">
          <input type="checkbox" {...form.register('clearClientSecret')} /> Remove the stored secret (make it a public
          client)
        </label>
      )}
    </>
  );
}
