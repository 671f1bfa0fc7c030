import { useEffect, useMemo, useState } from 'react';
import type { AccountSummary } from '@shared/contract/workspace';
import {
  get,
  set as setPath,
  type FieldError,
  type FieldErrors,
  type Path,
  type Resolver,
  type UseFormReturn,
} from 'react-hook-form';
import { PassthroughForm, type PassthroughView } from '@shared/contract/passthrough';
import { AUTH_TYPES, DATA_AS, HTTP_ACTIONS } from '@shared/domain';
import {
  DEFAULT_BODIES,
  DEFAULT_TIMEOUT_MS,
  MAX_TIMEOUT_MS,
  validatePassthrough,
  type FieldProblem,
} from '@shared/placeholders';
import { api } from '../../api';
import { useAccountChoice } from '../../components/useAccountChoice';
import { Notice } from '../../components/Notice';
import { insecureUrlProblems } from '@shared/insecure-url';
import { AccountSelect } from '../../components/AccountSelect';
import { DraftBar, draftFormProps, useDraft } from '../../components/ui/draft';
import { useUnsaved } from '../../components/ui/unsaved';

const EMPTY: PassthroughForm = {
  enabled: false,
  url: '',
  method: 'POST',
  dataAs: 'json',
  authType: 'none',
  headers: [],
  body: '',
  forgotPasswordUrl: '',
  timeoutMs: DEFAULT_TIMEOUT_MS,
};

const DATA_AS_LABELS: Record<PassthroughForm['dataAs'], string> = {
  json: 'JSON',
  urlencoded: 'URL-encoded',
  xml: 'XML',
};
const AUTH_LABELS: Record<PassthroughForm['authType'], string> = { none: 'None', basic: 'Basic (email and password)' };

/** One field's error line, tied to its control by id for screen readers. */
function FieldError({ id, problem }: { id: string; problem: FieldProblem | undefined }) {
  if (!problem) return null;
  return (
    <span id={id} className="bad" role="note" style={{ display: 'block', fontSize: 12 }}>
      {problem.message}
    </span>
  );
}

/** A field's key as Save names it (`headers[0].value`) from a schema path. */
const fieldKey = (path: readonly PropertyKey[]): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
/** What the form calls each field: its labels, and Save's message (the admin reads labels, not keys). */
const FIELD_LABELS = {
  enabled: 'Use external authentication',
  url: 'Authentication URL',
  method: 'HTTP action',
  dataAs: 'Data As',
  authType: 'HTTP auth type',
  timeoutMs: 'Timeout (seconds)',
  headers: 'Headers',
  body: 'Body template',
  forgotPasswordUrl: 'Forgot-password URL',
} satisfies Partial<Record<keyof PassthroughForm, string>>;
const headerLabel = (i: number, part: 'name' | 'value') => `Header ${i + 1} ${part}`;
/** A field's label as the form shows it (`headers[0].value` → "Header 1 value"). */
const fieldLabel = (field: string): string => {
  const header = /^headers\[(\d+)\]\.(name|value)$/.exec(field);
  if (header) return headerLabel(Number(header[1]), header[2] as 'name' | 'value');
  return (FIELD_LABELS as Record<string, string>)[field] ?? field;
};
/** The same key as react-hook-form spells it (`headers.0.value`). */
const formPath = (field: string) => field.replace(/\[(\d+)\]/g, '.$1') as Path<PassthroughForm>;

/**
 * Every problem of a draft, one per field, in the order Save names them: the checks shared with the engine and
 * the workspace import (templates, header names, placeholders, timeout), then the contract's schema of the save
 * input (`PassthroughForm`: lengths, counts, bounds).
 */
function problemsOf(d: PassthroughForm): FieldProblem[] {
  const all = validatePassthrough(d);
  const parsed = PassthroughForm.safeParse(d);
  if (!parsed.success)
    for (const issue of parsed.error.issues) all.push({ field: fieldKey(issue.path), message: issue.message });
  const seen = new Set<string>();
  return all.filter((p) => !seen.has(p.field) && Boolean(seen.add(p.field)));
}

const resolver: Resolver<PassthroughForm> = (values) => {
  const problems = problemsOf(values);
  if (problems.length === 0) return { values, errors: {} };
  const errors: FieldErrors<PassthroughForm> = {};
  for (const p of problems) setPath(errors, formPath(p.field), { type: 'validate', message: p.message });
  return { values: {}, errors };
};

/**
 * Editing a field of the draft: the value set as dirty and touched, the message of the last Save cleared,
 * and the same checks as Save and the workspace import run again. A changed field's problems show as you
 * type, every field's after Save.
 */
function useFieldEditing(form: UseFormReturn<PassthroughForm>, onChange: () => void) {
  const { errors, touchedFields, isSubmitted } = form.formState;
  const problemOf = (field: string): FieldProblem | undefined => {
    const path = formPath(field);
    const problem = isSubmitted || get(touchedFields, path) ? (get(errors, path) as FieldError | undefined) : undefined;
    return problem?.message ? { field, message: problem.message } : undefined;
  };
  const change = (apply: () => void) => {
    apply();
    onChange();
    void form.trigger();
  };
  const set = <K extends keyof PassthroughForm>(key: K, value: PassthroughForm[K]) =>
    change(() => form.setValue(key as Path<PassthroughForm>, value as never, { shouldDirty: true, shouldTouch: true }));
  const setHeader = (i: number, part: 'name' | 'value' | 'secret', value: string | boolean) =>
    change(() => form.setValue(`headers.${i}.${part}`, value as never, { shouldDirty: true, shouldTouch: true }));
  const setHeaders = (headers: PassthroughForm['headers']) =>
    change(() => form.setValue('headers', headers, { shouldDirty: true }));

  return { problemOf, set, setHeader, setHeaders };
}

/** The accounts, the chosen one and its saved settings, loaded again when the account changes. */
function usePassthroughView(onAccountChange: () => void) {
  const [accounts, setAccounts] = useState<AccountSummary[] | null>(null);
  const [account, setAccount] = useAccountChoice((accounts ?? []).map((a) => a.id));
  const [view, setView] = useState<PassthroughView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api.workspace.accounts().then((r) => {
      if (!r.ok) return setError(r.error.message);
      setAccounts(r.value);
    });
  }, []);
  useEffect(() => {
    if (!account) return;
    onAccountChange();
    void api.sso.passthrough.get({ account }).then((r) => {
      if (!r.ok) return setError(r.error.message);
      setView(r.value);
    });
    // Only a change of account reloads (onAccountChange is a new function each render).
  }, [account]);
  return { accounts, account, setAccount, view, setView, error };
}

/**
 * Settings > Integrations > External user authentication: the pass-through login of one account.
 *
 * Long because the page's draft, its save with the risky-URL confirmation and the layout of its form belong
 * together; the fields are components (UrlField, RequestShape, HeaderRows, BodyAndForgotFields) and the state is in
 * hooks (usePassthroughView, useFieldEditing).
 */
export function ExternalAuthSettings() {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const { accounts, account, setAccount, view, setView, error } = usePassthroughView(() => setMessage(null));
  // A risky Authentication URL (plain http:// to another host, the password in the query) is saved only when confirmed.
  const [confirmInsecure, setConfirmInsecure] = useState(false);

  // One draft model with the other settings forms: the bar of unsaved changes, and leaving asks first.
  const what = `External user authentication of ${view?.accountName ?? account}`;
  const saved = useMemo(() => view?.config ?? { ...EMPTY, headers: [] }, [view]);
  const edit = useDraft<PassthroughForm>({
    label: what,
    saved,
    resolver,
    onSave: async (config) => {
      const r = await api.sso.passthrough.save({
        account,
        config,
        ...(confirmInsecure ? { confirmInsecure: true } : {}),
      });
      if (!r.ok) {
        setMessage({ ok: false, text: `Not saved — ${r.error.message}` });
        return null;
      }
      setView(r.value);
      setMessage({
        ok: true,
        text: `Saved. External user authentication is ${r.value.config?.enabled ? 'on' : 'off'} for ${r.value.accountName}.`,
      });
      return r.value.config ?? EMPTY;
    },
  });
  const leave = useUnsaved((s) => s.leave);
  const draft = edit.form.watch();
  const risks = useMemo(() => insecureUrlProblems(draft.url), [draft.url]);
  const discard = () => {
    edit.discard();
    setMessage(null);
  };

  const { problemOf, set, setHeader, setHeaders } = useFieldEditing(edit.form, () => setMessage(null));

  const save = async () => {
    const first = problemsOf(edit.form.getValues())[0];
    if (first) setMessage({ ok: false, text: `Not saved — ${fieldLabel(first.field)}: ${first.message}` });
    await edit.save();
  };

  if (error) return <p role="alert">{error}</p>;
  if (!accounts) return <p>Loading…</p>;

  const invalid = (field: string) =>
    problemOf(field) ? { 'aria-invalid': true, 'aria-describedby': `err-${field}` } : {};

  return (
    <section aria-labelledby="extauth-title" className="panel wide">
      <h1 id="extauth-title">External user authentication</h1>
      <p className="muted">
        Integrations › External user authentication. When it is on, a user of this account who signs in with a password
        is checked by the organization’s own service: SSO Desk sends the request below, and only an HTTP 200 answer
        signs the user in. The password is never stored.
      </p>
      <AccountSelect
        accounts={accounts}
        value={account}
        onChange={(id) => id !== account && leave(() => setAccount(id))}
      />

      <div style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) 320px', gap: 24, alignItems: 'start' }}>
        <form {...draftFormProps({ save }, 'External user authentication')}>
          <label className="check">
            <input type="checkbox" checked={draft.enabled} onChange={(e) => set('enabled', e.target.checked)} /> Use
            external authentication for {view?.accountName ?? account}
          </label>

          <UrlField
            draft={draft}
            set={set}
            invalid={invalid}
            problemOf={problemOf}
            risks={risks}
            confirmInsecure={confirmInsecure}
            onConfirmInsecure={setConfirmInsecure}
          />

          <RequestShape draft={draft} set={set} invalid={invalid} />
          <FieldError id="err-timeoutMs" problem={problemOf('timeoutMs')} />
          {draft.authType === 'basic' && (
            <p className="muted">
              Basic sends <code>Authorization: Basic …</code> built from the email and password (RFC 7617, UTF-8).
            </p>
          )}

          <HeaderRows
            headers={draft.headers}
            setHeader={setHeader}
            setHeaders={setHeaders}
            invalid={invalid}
            problemOf={problemOf}
          />

          <BodyAndForgotFields draft={draft} set={set} invalid={invalid} problemOf={problemOf} />

          <p style={{ marginTop: 16 }}>
            <button type="submit" className="primary">
              Save external authentication
            </button>
          </p>
          <Notice message={message} />
          <DraftBar
            dirty={edit.dirty}
            saving={edit.saving}
            onSave={() => void save()}
            onDiscard={discard}
            what={what}
          />
        </form>

        <PlaceholdersAside placeholders={view?.placeholders ?? []} />
      </div>
    </section>
  );
}

type Set = <K extends keyof PassthroughForm>(key: K, value: PassthroughForm[K]) => void;
type Invalid = (field: string) => Record<string, unknown>;

type ProblemOf = (field: string) => FieldProblem | undefined;

/** The Authentication URL, and the confirmation a risky one needs before Save takes it. */
function UrlField(p: {
  draft: PassthroughForm;
  set: Set;
  invalid: Invalid;
  problemOf: ProblemOf;
  risks: string[];
  confirmInsecure: boolean;
  onConfirmInsecure: (yes: boolean) => void;
}) {
  const { draft, set, invalid, problemOf, risks, confirmInsecure } = p;
  return (
    <>
      <label htmlFor="pt-url">{FIELD_LABELS.url}</label>
      <input
        id="pt-url"
        style={{ width: '100%' }}
        value={draft.url}
        placeholder="https://auth.example.com/login?org={{ORGID}}"
        onChange={(e) => set('url', e.target.value)}
        {...invalid('url')}
      />
      <FieldError id="err-url" problem={problemOf('url')} />
      {risks.length > 0 && (
        <div role="alert" className="bad">
          <p>Risky URL: it {risks.join(' and ')}.</p>
          <label className="check">
            <input type="checkbox" checked={confirmInsecure} onChange={(e) => p.onConfirmInsecure(e.target.checked)} />{' '}
            Save it anyway: I accept that risk
          </label>
        </div>
      )}
    </>
  );
}

/** The request body (none for GET) and the forgot-password link. */
function BodyAndForgotFields(p: { draft: PassthroughForm; set: Set; invalid: Invalid; problemOf: ProblemOf }) {
  const { draft, set, invalid, problemOf } = p;
  return (
    <>
      <label htmlFor="pt-body">{FIELD_LABELS.body}</label>
      <textarea
        id="pt-body"
        rows={4}
        value={draft.body}
        disabled={draft.method === 'GET'}
        placeholder={draft.method === 'GET' ? 'GET sends no body' : `Empty: ${DEFAULT_BODIES[draft.dataAs]}`}
        onChange={(e) => set('body', e.target.value)}
        {...invalid('body')}
      />
      <FieldError id="err-body" problem={problemOf('body')} />

      <label htmlFor="pt-forgot">{FIELD_LABELS.forgotPasswordUrl}</label>
      <input
        id="pt-forgot"
        style={{ width: '100%' }}
        value={draft.forgotPasswordUrl}
        placeholder="https://auth.example.com/forgot?email={{USEREMAIL}} (optional)"
        onChange={(e) => set('forgotPasswordUrl', e.target.value)}
        {...invalid('forgotPasswordUrl')}
      />
      <FieldError id="err-forgotPasswordUrl" problem={problemOf('forgotPasswordUrl')} />
    </>
  );
}

/** HTTP action, Data As, HTTP auth type and timeout: the shape of the request the service gets. */
function RequestShape({ draft, set, invalid }: { draft: PassthroughForm; set: Set; invalid: Invalid }) {
  return (
    <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
      <label>
        {FIELD_LABELS.method}
        <select
          aria-label={FIELD_LABELS.method}
          value={draft.method}
          onChange={(e) => set('method', e.target.value as PassthroughForm['method'])}
          style={{ display: 'block' }}
        >
          {HTTP_ACTIONS.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
      </label>
      <label>
        {FIELD_LABELS.dataAs}
        <select
          aria-label={FIELD_LABELS.dataAs}
          value={draft.dataAs}
          onChange={(e) => set('dataAs', e.target.value as PassthroughForm['dataAs'])}
          style={{ display: 'block' }}
        >
          {DATA_AS.map((d) => (
            <option key={d} value={d}>
              {DATA_AS_LABELS[d]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {FIELD_LABELS.authType}
        <select
          aria-label={FIELD_LABELS.authType}
          value={draft.authType}
          onChange={(e) => set('authType', e.target.value as PassthroughForm['authType'])}
          style={{ display: 'block' }}
        >
          {AUTH_TYPES.map((a) => (
            <option key={a} value={a}>
              {AUTH_LABELS[a]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {FIELD_LABELS.timeoutMs}
        <input
          aria-label={FIELD_LABELS.timeoutMs}
          type="number"
          min={0.1}
          max={MAX_TIMEOUT_MS / 1000}
          step={0.1}
          value={draft.timeoutMs / 1000}
          onChange={(e) => set('timeoutMs', Math.round(Number(e.target.value) * 1000))}
          style={{ display: 'block', width: 110 }}
          {...invalid('timeoutMs')}
        />
      </label>
    </div>
  );
}

/** Extra headers, each with a name, a value (placeholders allowed) and a Secret mark that masks it everywhere. */
function HeaderRows({
  headers,
  setHeader,
  setHeaders,
  invalid,
  problemOf,
}: {
  headers: PassthroughForm['headers'];
  setHeader: (i: number, part: 'name' | 'value' | 'secret', value: string | boolean) => void;
  setHeaders: (headers: PassthroughForm['headers']) => void;
  invalid: Invalid;
  problemOf: (field: string) => FieldProblem | undefined;
}) {
  return (
    <fieldset style={{ border: '1px solid var(--line)', borderRadius: 6, marginTop: 12 }}>
      <legend>{FIELD_LABELS.headers}</legend>
      {headers.length === 0 && <p className="muted">No extra headers. Content-Type follows Data As.</p>}
      {headers.map((h, i) => (
        <div key={i} style={{ display: 'grid', gridTemplateColumns: '200px 1fr auto auto', gap: 8, marginBottom: 6 }}>
          <div>
            <input
              aria-label={headerLabel(i, 'name')}
              placeholder="X-Device"
              value={h.name}
              onChange={(e) => setHeader(i, 'name', e.target.value)}
              style={{ width: '100%' }}
              {...invalid(`headers[${i}].name`)}
            />
            <FieldError id={`err-headers[${i}].name`} problem={problemOf(`headers[${i}].name`)} />
          </div>
          <div>
            <input
              aria-label={headerLabel(i, 'value')}
              type={h.secret ? 'password' : 'text'}
              placeholder="{{DEVICENAME}}"
              value={h.value}
              onChange={(e) => setHeader(i, 'value', e.target.value)}
              style={{ width: '100%' }}
              {...invalid(`headers[${i}].value`)}
            />
            <FieldError id={`err-headers[${i}].value`} problem={problemOf(`headers[${i}].value`)} />
          </div>
          <label className="check">
            <input
              type="checkbox"
              checked={h.secret}
              onChange={(e) => setHeader(i, 'secret', e.target.checked)}
              aria-label={`Mark header ${i + 1} as secret`}
            />{' '}
            Secret
          </label>
          <button type="button" onClick={() => setHeaders(headers.filter((_, j) => j !== i))}>
            Remove header {i + 1}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => setHeaders([...headers, { name: '', value: '', secret: false }])}>
        Add header
      </button>
    </fieldset>
  );
}

/** The placeholders the URL, headers and body may use, with what each stands for. */
function PlaceholdersAside({ placeholders }: { placeholders: NonNullable<PassthroughView['placeholders']> }) {
  return (
    <aside aria-label="Placeholders" className="card">
      <h2 style={{ marginTop: 0 }}>Placeholders</h2>
      <p className="muted">Usable in the URL, the headers and the body. Each value is escaped for where it lands.</p>
      <dl style={{ margin: 0 }}>
        {placeholders.map((p) => (
          <div key={p.name} style={{ marginBottom: 8 }}>
            <dt>
              <code>{p.token}</code>
            </dt>
            <dd style={{ margin: 0 }} className="muted">
              {p.description}
            </dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}
