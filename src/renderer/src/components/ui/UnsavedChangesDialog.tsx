import { ConfirmDialog } from './ConfirmDialog';
import { useUnsaved } from './unsaved';

/** Asks before a navigation drops unsaved drafts; names what would be lost. */
export function UnsavedChangesDialog() {
  const { dirty, pending, answer } = useUnsaved();
  const what = Object.values(dirty);
  return (
    <ConfirmDialog
      open={pending !== null}
      title="Leave without saving?"
      description={
        <>
          <p>Unsaved changes to {what.join(', ') || 'this form'} will be lost.</p>
          <p className="muted">Choose Stay to go back and save them.</p>
        </>
      }
      confirmLabel="Discard changes and leave"
      cancelLabel="Stay"
      destructive
      onConfirm={() => answer(true)}
      onCancel={() => answer(false)}
    />
  );
}
