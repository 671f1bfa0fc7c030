import type { UseFormReturn } from 'react-hook-form';
import type { SsoFormValues } from './oidc-draft';

/** Whether owners keep their password while SSO is on: the way in if the IdP fails. */
export function OwnerBreakGlass({ accountName, form }: { accountName: string; form: UseFormReturn<SsoFormValues> }) {
  return (
    <>
      <h2>Owner break-glass</h2>
      <label className="check">
        <input
          type="checkbox"
          role="switch"
          aria-describedby="sso-break-glass-why"
          {...form.register('ownerPassword')}
        />{' '}
        Owners may still use their password for {accountName}
      </label>
      <p id="sso-break-glass-why" className="muted">
        Off by default. While SSO is on, it keeps a way in for owners if the IdP fails; every change is audited.
      </p>
    </>
  );
}
