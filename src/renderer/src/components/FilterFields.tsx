/** The filter controls Audit and Sign-in logs share: a choice with "Any" first, and a time range. */
export function FilterChoice(props: {
  label: string;
  value: string;
  options: Array<{ value: string; label: string }>;
  onChange: (value: string) => void;
}) {
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">Any</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** From and To as the browser's local date-time inputs; empty is open-ended. */
export function TimeRange(props: {
  from: string;
  to: string;
  onChange: (patch: { from?: string; to?: string }) => void;
}) {
  return (
    <>
      <label>
        From
        <input type="datetime-local" value={props.from} onChange={(e) => props.onChange({ from: e.target.value })} />
      </label>
      <label>
        To
        <input type="datetime-local" value={props.to} onChange={(e) => props.onChange({ to: e.target.value })} />
      </label>
    </>
  );
}

export const asOptions = (values: string[]) => values.map((v) => ({ value: v, label: v }));
