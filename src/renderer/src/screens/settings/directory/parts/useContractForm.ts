import { useRef, type BaseSyntheticEvent } from 'react';
import type { DefaultValues, FieldValues, Resolver, UseFormReturn } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import type { z } from 'zod';
import type { Result } from '@shared/result';
import { useDraft } from '@renderer/components/ui/draft';
import { applyServerError } from '../ui';

/**
 * A directory form: the console's one form mechanism (`useDraft`) validated by the contract's zod schema,
 * a submit that calls one channel, the channel's error put on the field it names (or the form's root
 * error), and `onOk` with the answer. A dialog's form: it validates on submit and does not guard
 * navigation (it closes with its dialog).
 */
export function useContractForm<S extends z.ZodType<FieldValues, FieldValues>, T>(opts: {
  schema: S;
  defaultValues: DefaultValues<z.input<S>>;
  /** The fields a server error may land on. */
  fields: readonly string[];
  call: (values: z.output<S>) => Promise<Result<T>>;
  onOk: (value: T, values: z.output<S>, form: UseFormReturn<z.input<S>, unknown, z.output<S>>) => Promise<void> | void;
}) {
  type In = z.input<S>;
  // Read once, as react-hook-form reads defaultValues: a new object each render must not reset the form.
  const saved = useRef(opts.defaultValues as In).current;
  const draft = useDraft<In>({
    label: 'a form',
    saved,
    resolver: zodResolver(opts.schema as never) as unknown as Resolver<In>,
    guard: false,
    mode: 'onSubmit',
    onSave: async (values, form) => {
      // With the schema's resolver, react-hook-form hands over the parsed (output) values.
      const parsed = values as unknown as z.output<S>;
      const r = await opts.call(parsed);
      if (applyServerError(r, form.setError, opts.fields)) return null;
      if (r.ok) await opts.onOk(r.value, parsed, form as unknown as UseFormReturn<In, unknown, z.output<S>>);
      return null;
    },
  });
  const { form } = draft;
  const submit = (e?: BaseSyntheticEvent) => {
    e?.preventDefault();
    return draft.save();
  };
  return {
    form: form as unknown as UseFormReturn<In, unknown, z.output<S>>,
    errors: form.formState.errors,
    isSubmitting: draft.saving,
    isDirty: draft.dirty,
    submit,
  };
}
