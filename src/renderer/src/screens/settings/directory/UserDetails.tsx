import { UserPatch, type UserPage as UserPageData } from '@shared/contract/directory';
import { api } from '@renderer/api';
import { RootError, TextField } from './parts/FormParts';
import { useContractForm } from './parts/useContractForm';

/** The user's name and external ID (directory.users.update). */
export function UserDetails({ page, onSaved }: { page: UserPageData; onSaved: (text: string) => Promise<void> }) {
  const { form, isSubmitting, isDirty, errors, submit } = useContractForm({
    schema: UserPatch,
    defaultValues: { email: page.user.email, name: page.user.name, externalId: page.user.externalId ?? '' },
    fields: ['name', 'externalId'],
    call: (values) => api.directory.users.update({ ...values, externalId: values.externalId || null }),
    onOk: async (_u, values, f) => {
      f.reset(values);
      await onSaved(`Saved ${page.user.email}.`);
    },
  });
  return (
    <>
      <h3 id="user-details-title">Details</h3>
      <form className="dir-form" aria-labelledby="user-details-title" onSubmit={(e) => void submit(e)} noValidate>
        <TextField form={form} name="name" id="edit-user-name" label="Name" />
        <TextField form={form} name="externalId" id="edit-user-external" label="External ID" />
        <button type="submit" disabled={isSubmitting || !isDirty}>
          Save details
        </button>
        <RootError errors={errors} />
      </form>
    </>
  );
}
