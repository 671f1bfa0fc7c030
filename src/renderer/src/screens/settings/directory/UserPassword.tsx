import { useState } from 'react';
import { z } from 'zod';
import { NewPassword } from '@shared/workspace';
import { api } from '@renderer/api';
import { ConfirmDialog } from '@renderer/components/ui/ConfirmDialog';
import { RootError, TextField } from './parts/FormParts';
import { useContractForm } from './parts/useContractForm';
import type { UserSectionProps } from './user-section';

/** The user's local password: whether one is set, set or reset it, remove it. */
export function UserPassword({ email, shown, has, say }: UserSectionProps & { has: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const clearPassword = async () => {
    const r = await api.directory.users.setPassword({ email, password: null });
    setConfirming(false);
    await say(r, `Removed the local password of ${email}.`);
  };
  return (
    <>
      <h3 id="user-password-title">Local password</h3>
      <p>
        {has ? 'A local password is set (it is stored as a scrypt hash and never shown).' : 'No local password is set.'}
      </p>
      <SetPassword email={email} has={has} onSaved={(text) => say({ ok: true }, text)} />
      {has && (
        <button type="button" onClick={() => setConfirming(true)}>
          Remove the local password…
        </button>
      )}
      <ConfirmDialog
        destructive
        stayOpen
        open={confirming}
        onCancel={() => setConfirming(false)}
        title={`Remove the local password of ${shown}?`}
        confirmLabel="Remove password"
        onConfirm={() => void clearPassword()}
        description={
          <>
            <p>
              Password login with the SSO Desk password stops working for this user, and their open password sessions
              end.
            </p>
          </>
        }
      />
    </>
  );
}

const PasswordForm = z.strictObject({ password: NewPassword });

function SetPassword({
  email,
  has,
  onSaved,
}: {
  email: string;
  has: boolean;
  onSaved: (text: string) => Promise<void>;
}) {
  const { form, isSubmitting, errors, submit } = useContractForm({
    schema: PasswordForm,
    defaultValues: { password: '' },
    fields: ['password'],
    call: ({ password }) => api.directory.users.setPassword({ email, password }),
    onOk: async (_r, _values, f) => {
      f.reset({ password: '' });
      await onSaved(`${has ? 'Reset' : 'Set'} the local password of ${email}; it is not shown again.`);
    },
  });
  return (
    <form className="dir-form" aria-labelledby="user-password-title" onSubmit={(e) => void submit(e)} noValidate>
      <TextField
        form={form}
        name="password"
        id="new-password"
        label={has ? 'New password' : 'Password'}
        type="password"
        autoComplete="new-password"
      />
      <button type="submit" disabled={isSubmitting}>
        {has ? 'Reset password' : 'Set password'}
      </button>
      <RootError errors={errors} />
    </form>
  );
}
