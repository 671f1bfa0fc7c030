export interface SettingChange {
  field: string;
  old: unknown;
  new: unknown;
}

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
