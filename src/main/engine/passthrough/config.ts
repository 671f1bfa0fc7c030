import { describeChanges, diffSettings, type SettingChange } from '../audit/settings-diff';
import type { Db } from '../../store/db';
import { getAccount } from '../../store/accounts';
import { getPassthrough, putPassthrough, type PassthroughRow } from '../../store/sso-config';
import { appendAudit } from '../../store/audit';
import { DeskError, invalidInput, notFound } from '@shared/errors';
import { PLACEHOLDERS } from '@shared/domain';
import { PLACEHOLDER_DOCS, validatePassthrough, type FieldProblem } from '@shared/placeholders';
import type { PassthroughForm, PassthroughView } from '@shared/contract/passthrough';
import { insecureUrlProblems } from '@shared/insecure-url';

const toForm = (row: PassthroughRow): PassthroughForm => ({
  enabled: row.enabled,
  url: row.url,
  method: row.method,
  dataAs: row.dataAs,
  authType: row.authType,
  headers: Object.entries(row.headers).map(([name, value]) => ({
    name,
    value,
    secret: (row.secretHeaders ?? []).includes(name),
  })),
  body: row.body,
  forgotPasswordUrl: row.forgotPasswordUrl ?? '',
  timeoutMs: row.timeoutMs,
});

/** An account's External user authentication, with the placeholder reference the form shows beside it. */
export function getPassthroughView(db: Db, accountId: string): PassthroughView {
  const account = getAccount(db, accountId);
  if (!account) throw notFound(`no account "${accountId}"`);
  const row = getPassthrough(db, accountId);
  return {
    account: account.id,
    accountName: account.name,
    config: row ? toForm(row) : null,
    updatedAt: row?.updatedAt ?? null,
    warnings: row ? insecureUrlProblems(row.url) : [],
    placeholders: PLACEHOLDERS.map((name) => ({ name, token: `{{${name}}}`, description: PLACEHOLDER_DOCS[name] })),
  };
}

/** Turns the first problem into the DeskError every edge maps to `{code, message, field}`. */
export function problemError(problems: FieldProblem[], prefix = ''): DeskError | null {
  const first = problems[0];
  if (!first) return null;
  return invalidInput(`${prefix}${first.field}`, first.message);
}

/**
 * Validates and saves one account's External user authentication. Nothing is saved when a field is
 * wrong; the error names it (`url`, `headers[1].name`, `forgotPasswordUrl`…).
 * @throws DeskError `not_found` for an unknown account, `invalid_input` with `field`.
 */
export function savePassthrough(
  db: Db,
  accountId: string,
  form: PassthroughForm,
  opts: { now: number; actor: string; confirmInsecure?: boolean | undefined },
): PassthroughView {
  const account = getAccount(db, accountId);
  if (!account) throw notFound(`no account "${accountId}"`);
  const problem = problemError(validatePassthrough(form));
  if (problem) throw problem;
  const risky = insecureUrlProblems(form.url);
  if (risky.length > 0 && !opts.confirmInsecure) {
    throw new DeskError(
      'confirmation_required',
      `Not saved: the Authentication URL ${risky.join(' and ')}. Confirm to save it anyway.`,
      { field: 'url', status: 409 },
    );
  }
  const before = getPassthrough(db, accountId);
  db.transaction(() => {
    putPassthrough(db, {
      accountId,
      enabled: form.enabled,
      url: form.url,
      method: form.method,
      dataAs: form.dataAs,
      authType: form.authType,
      headers: Object.fromEntries(form.headers.map((h) => [h.name, h.value])),
      secretHeaders: form.headers.filter((h) => h.secret).map((h) => h.name),
      body: form.body,
      forgotPasswordUrl: form.forgotPasswordUrl === '' ? null : form.forgotPasswordUrl,
      timeoutMs: form.timeoutMs,
      updatedAt: opts.now,
    });
    const changes = settingsChanges(before ? toForm(before) : null, form);
    appendAudit(db, {
      at: opts.now,
      kind: 'settings.change',
      accountId,
      actor: opts.actor,
      method: 'passthrough',
      outcome: 'ok',
      reason: `External user authentication of ${account.name}: ${describeChanges(changes) || 'saved unchanged'}`,
      detail: { changes },
    });
  })();
  return getPassthroughView(db, accountId);
}

/**
 * The workspace file's check of an account's pass-through block: the same validator as Save, with
 * the error naming the file's path (`accounts[1].passthrough.url`, `accounts[0].passthrough.headers.X-Name`).
 * @throws DeskError `invalid_input` with `field`.
 */
export function checkPassthroughFile(
  p: {
    enabled: boolean;
    url: string;
    method: PassthroughRow['method'];
    dataAs: PassthroughRow['dataAs'];
    authType: PassthroughRow['authType'];
    headers: Record<string, string>;
    body: string;
    forgotPasswordUrl?: string | undefined;
    timeoutMs: number;
  },
  path: string,
): void {
  const problems = validatePassthrough(
    {
      ...p,
      headers: Object.entries(p.headers).map(([name, value]) => ({ name, value })),
      forgotPasswordUrl: p.forgotPasswordUrl ?? '',
    },
    (_i, name) => `headers.${name}`,
  );
  const problem = problemError(problems, `${path}.`);
  if (problem) throw problem;
}

/**
 * Which fields a save changed, old and new. Header values and the body template may hold an
 * integration's own API key, so they are reported as changed, never quoted.
 */
function settingsChanges(before: PassthroughForm | null, after: PassthroughForm): SettingChange[] {
  const shape = (f: PassthroughForm) => ({
    ...f,
    headerNames: f.headers.map((h) => h.name),
    headerValues: f.headers.map((h) => h.value),
  });
  // Header values and the body may carry an integration's own key: they are reported as changed, never shown.
  return diffSettings('passthrough', before && shape(before), shape(after), {
    plain: ['enabled', 'url', 'method', 'dataAs', 'authType', 'forgotPasswordUrl', 'timeoutMs', 'headerNames'],
    opaque: ['headerValues', 'body'],
  });
}
