import { useState } from 'react';
import type { UserPage as UserPageData } from '@shared/contract/directory';
import { api } from '@renderer/api';
import { ConfirmDialog } from '@renderer/components/ui/ConfirmDialog';

/** Delete the user, after a dialog that says what goes with them; the page closes with a note when it worked. */
export function DeleteUser({
  email,
  page,
  onDeleted,
  onFailed,
}: {
  email: string;
  page: UserPageData;
  onDeleted: (note: string) => void;
  onFailed: (text: string) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const shown = page.user.email;
  const deleteUser = async () => {
    const r = await api.directory.users.delete({ email });
    setConfirming(false);
    if (r.ok) onDeleted(`Deleted ${email}.`);
    else onFailed(r.error.message);
  };
  return (
    <>
      <h3>Delete</h3>
      <button type="button" onClick={() => setConfirming(true)}>
        Delete {shown}…
      </button>
      <ConfirmDialog
        destructive
        stayOpen
        open={confirming}
        onCancel={() => setConfirming(false)}
        title={`Delete ${shown}?`}
        confirmLabel="Delete user"
        onConfirm={() => void deleteUser()}
        description={
          <>
            <p>
              This cannot be undone. With the user go {page.accounts.length} membership
              {page.accounts.length === 1 ? '' : 's'}, their places on bot teams and {page.sessions.length} open session
              {page.sessions.length === 1 ? '' : 's'}. A user who owns a bot or is an account’s only owner cannot be
              deleted.
            </p>
          </>
        }
      />
    </>
  );
}
