export interface RowAction {
  /** What the button shows ("Edit…"). */
  text: string;
  /** Its full name for assistive technology ("Edit Acme Corp"): rows repeat the same short text. */
  name: string;
  onClick: () => void;
}

/** The buttons of one row of a directory list: short visible text, a full accessible name each. */
export function RowActions({ actions }: { actions: RowAction[] }) {
  return (
    <div className="dir-row">
      {actions.map((a) => (
        <button key={a.name} type="button" aria-label={a.name} onClick={a.onClick}>
          {a.text}
        </button>
      ))}
    </div>
  );
}
