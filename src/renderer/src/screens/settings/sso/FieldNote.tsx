/** Under a field: its problem, named by the field's label, or else its hint. */
export function FieldNote({
  label,
  hint,
  problem,
}: {
  label: string;
  hint?: string | undefined;
  problem?: string | undefined;
}) {
  if (problem)
    return <p className="field-error">{problem.startsWith(`${label}:`) ? problem : `${label}: ${problem}`}</p>;
  return hint ? <p className="muted">{hint}</p> : null;
}
