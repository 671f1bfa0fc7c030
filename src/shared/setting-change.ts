/**
 * How a settings change reads, the same in an audit event's reason (engine/audit/settings-diff.ts) and in the
 * Audit screen's table of changes: lists joined, nothing as "(none)", a secret only as "changed".
 */
export interface SettingChange {
  field: string;
  old: unknown;
  new: unknown;
}

/** A value as a person reads it in one line; long ones are cut. */
export function showValue(v: unknown): string {
  const text =
    v === null || v === undefined || v === ''
      ? '(none)'
      : Array.isArray(v)
        ? v.length === 0
          ? '(none)'
          : v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ')
        : typeof v === 'string'
          ? v
          : JSON.stringify(v);
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

/** A change recorded without its values (a secret: "set (changed)"; an opaque template: "(changed, not shown)"). */
export const isHiddenChange = (c: SettingChange): boolean =>
  typeof c.new === 'string' && /\(changed(, not shown)?\)$/.test(c.new);

/** The field's own name: `oidc.issuer` → `issuer`. */
export const settingName = (field: string): string => field.split('.').pop() ?? field;
