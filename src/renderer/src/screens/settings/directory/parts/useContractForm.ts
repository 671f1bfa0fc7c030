import { useForm, type DefaultValues, type FieldValues, type Resolver, type UseFormReturn } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import type { z } from 'zod';
import type { Result } from '../../../../../../shared/result';
import { applyServerError } from '../ui';

/**
 * A directory form: react-hook-form validated by the contract's zod schema, a submit that calls one
 * channel, the channel's error put on the field it names (or the form's root error), and `onOk`
 * with the answer. Every create/edit form of the directory is one of these.
 */
export function useContractForm<S extends z.ZodType<FieldValues, FieldValues>, T>(opts: {
  schema: S;
  defaultValues: DefaultValues<z.input<S>>;
  /** The fields a server error may land on. */
  fields: readonly string[];
  call: (values: z.output<S>) => Promise<Result<T>>;
  onOk: (value: T, values: z.output<S>, form: UseFormReturn<z.input<S>, unknown, z.output<S>>) => Promise<void> | void;
}) {
  const form = useForm<z.input<S>, unknown, z.output<S>>({
    resolver: zodResolver(opts.schema as never) as unknown as Resolver<z.input<S>, unknown, z.output<S>>,
    defaultValues: opts.defaultValues,
  });
  const { errors, isSubmitting, isDirty } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    const r = await opts.call(values);
    if (applyServerError(r, form.setError, opts.fields)) return;
    if (r.ok) await opts.onOk(r.value, values, form);
  });
  return { form, errors, isSubmitting, isDirty, submit };
}
