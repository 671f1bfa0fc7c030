import { isHiddenChange, settingName, showValue, type SettingChange } from '@shared/setting-change';

export type { SettingChange };

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Who changed what, for the audit log: each plain field with its old and new value; each secret field
 * only as whether it is set and whether it changed — never its value; each opaque field (a template
 * that may embed an integration's key) only as "changed".
 */
export function diffSettings<T extends Record<string, unknown>>(
  prefix: string,
  before: T | null,
  after: T,
  kinds: {
    plain: ReadonlyArray<keyof T & string>;
    secret?: ReadonlyArray<keyof T & string>;
    opaque?: ReadonlyArray<keyof T & string>;
  },
): SettingChange[] {
  const changes: SettingChange[] = [];
  for (const key of kinds.plain) {
    const old = before ? before[key] : null;
    if (!same(old, after[key])) changes.push({ field: `${prefix}.${key}`, old: old ?? null, new: after[key] ?? null });
  }
  const setOrNot = (v: unknown) => (v === null || v === undefined || v === '' ? 'not set' : 'set');
  for (const key of kinds.secret ?? []) {
    const old = before ? before[key] : null;
    if (!same(old, after[key]))
      changes.push({ field: `${prefix}.${key}`, old: setOrNot(old), new: `${setOrNot(after[key])} (changed)` });
  }
  for (const key of kinds.opaque ?? []) {
    if (!same(before ? before[key] : null, after[key]))
      changes.push({ field: `${prefix}.${key}`, old: '(not shown)', new: '(changed, not shown)' });
  }
  return changes;
}

/** "issuer, clientId" — the reason line of a settings-change event. */
export const changedFields = (changes: SettingChange[]): string =>
  changes.map((c) => c.field.split('.').pop()).join(', ');

/**
 * "preset: generic → okta; issuer: https://a/ → https://b/; clientSecret changed" — the changes in the reason
 * line of a settings event, so that the list reads as changes and a search for any old or new value (the
 * full-text index covers the reason) finds the event. Secrets and opaque fields read only "changed".
 */
export const describeChanges = (changes: SettingChange[]): string =>
  changes
    .map((c) =>
      isHiddenChange(c)
        ? `${settingName(c.field)} changed`
        : `${settingName(c.field)}: ${showValue(c.old)} → ${showValue(c.new)}`,
    )
    .join('; ');
