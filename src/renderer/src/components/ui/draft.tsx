import {
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { useForm, type DefaultValues, type FieldValues, type Resolver, type UseFormReturn } from 'react-hook-form';
import { useUnsaved } from './unsaved';

export interface Draft<T extends FieldValues> {
  /** react-hook-form's form: register fields, watch values, read errors. */
  form: UseFormReturn<T>;
  /** The draft differs from what is saved. */
  dirty: boolean;
  saving: boolean;
  /** Validates, then calls `onSave`; on success the saved value it returns becomes the new baseline. */
  save: () => Promise<void>;
  /** Back to what is saved. */
  discard: () => void;
  /** A value that changes whenever the draft changes: a result computed from an older draft is stale. */
  revision: string;
}

/**
 * A settings form's draft: nothing is saved until Save, Discard goes back to the saved values, and
 * the app asks before leaving with unsaved changes (top navigation, sections, account switch,
 * window close). `saved` is the server's state as form values; when it changes (loaded, saved) the
 * draft is reset to it.
 */
export function useDraft<T extends FieldValues>(opts: {
  label: string;
  saved: T;
  resolver?: Resolver<T>;
  /** Returns the new saved values, or null to keep the old baseline (a refusal, or a form that closes). */
  onSave: (values: T, form: UseFormReturn<T>) => Promise<T | null>;
  /** Whether leaving with unsaved changes asks first (settings pages); a dialog's form closes with its dialog. */
  guard?: boolean;
  /** When fields validate: while typing (settings), or on submit (a dialog's create/edit form). */
  mode?: 'onChange' | 'onSubmit';
}): Draft<T> {
  const id = useId();
  const form = useForm<T>({
    defaultValues: opts.saved as DefaultValues<T>,
    mode: opts.mode ?? 'onChange',
    ...(opts.resolver ? { resolver: opts.resolver } : {}),
  });
  const guard = opts.guard ?? true;
  const [saving, setSaving] = useState(false);
  const savedRef = useRef(opts.saved);
  useEffect(() => {
    if (savedRef.current !== opts.saved) {
      savedRef.current = opts.saved;
      form.reset(opts.saved);
    }
  }, [opts.saved, form]);

  const values = form.watch();
  const dirty = JSON.stringify(values) !== JSON.stringify(savedRef.current);
  const setDirty = useUnsaved((s) => s.setDirty);
  useEffect(() => {
    setDirty(id, dirty && guard ? opts.label : null);
  }, [id, dirty, guard, opts.label, setDirty]);
  useEffect(() => () => setDirty(id, null), [id, setDirty]);

  const onSave = opts.onSave;
  const save = useCallback(
    () =>
      form.handleSubmit(async (v) => {
        setSaving(true);
        try {
          const next = await onSave(v, form);
          if (next) {
            savedRef.current = next;
            form.reset(next);
          }
        } finally {
          setSaving(false);
        }
      })(),
    [form, onSave],
  );
  const discard = useCallback(() => form.reset(savedRef.current), [form]);
  return { form, dirty, saving, save, discard, revision: JSON.stringify(values) };
}

/**
 * The sticky bar of a form with unsaved changes: says so, and offers Save and Discard. Renders
 * nothing while the draft equals what is saved.
 */
export function DraftBar(props: {
  dirty: boolean;
  saving: boolean;
  onSave: () => void;
  onDiscard: () => void;
  what: string;
  children?: ReactNode;
}) {
  if (!props.dirty) return null;
  return (
    <div className="draftbar" role="region" aria-label="Unsaved changes">
      <span>
        <strong>Unsaved changes</strong> to {props.what}. {props.children}
      </span>
      <span className="draftbar-actions">
        <button type="button" onClick={props.onDiscard} disabled={props.saving}>
          Discard
        </button>
        <button type="button" className="primary" onClick={props.onSave} disabled={props.saving}>
          {props.saving ? 'Saving…' : 'Save'}
        </button>
      </span>
    </div>
  );
}

/**
 * The props of a draft's `<form>`: Enter in a one-line field saves (as a Save button would; the
 * DraftBar's buttons are not submit buttons), the browser's own validation bubbles stay off (the
 * resolver's messages show on the fields).
 */
export function draftFormProps(draft: Pick<Draft<FieldValues>, 'save'>, label: string) {
  return {
    'aria-label': label,
    noValidate: true,
    onSubmit: (e: FormEvent) => {
      e.preventDefault();
      void draft.save();
    },
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key === 'Enter' && e.target instanceof HTMLInputElement && e.target.type !== 'checkbox') {
        e.preventDefault();
        void draft.save();
      }
    },
  };
}
