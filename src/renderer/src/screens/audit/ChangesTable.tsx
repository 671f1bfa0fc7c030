import { isHiddenChange, settingName, showValue, type SettingChange as Change } from '@shared/setting-change';

/** The changes a settings event carries, or null when it carries none. */
export function changesOf(detail: unknown): Change[] | null {
  const c = (detail as { changes?: unknown } | null)?.changes;
  return Array.isArray(c) && c.length > 0 && c.every((x) => typeof x === 'object' && x !== null && 'field' in x)
    ? (c as Change[])
    : null;
}

/** Old → new per field; a secret only as "changed". */
export function ChangesTable({ changes }: { changes: Change[] }) {
  return (
    <table className="grid compact" aria-label="Changes">
      <thead>
        <tr>
          <th scope="col">Setting</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.field}>
            <th scope="row">{settingName(c.field)}</th>
            {isHiddenChange(c) ? (
              <td colSpan={2}>changed (not shown)</td>
            ) : (
              <>
                <td style={{ overflowWrap: 'anywhere' }}>{showValue(c.old)}</td>
                <td style={{ overflowWrap: 'anywhere' }}>{showValue(c.new)}</td>
              </>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
