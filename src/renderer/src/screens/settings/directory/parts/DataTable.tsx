import type { ReactNode } from 'react';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  className?: (row: T) => string | undefined;
}

/** The directory's tables: a labelled grid with column headers and one row per item. */
export function DataTable<T>(props: {
  label: string;
  columns: Array<Column<T>>;
  rows: readonly T[];
  rowKey: (row: T) => string;
  compact?: boolean;
}) {
  return (
    <table className={props.compact ? 'grid compact' : 'grid'} aria-label={props.label}>
      <thead>
        <tr>
          {props.columns.map((c) => (
            <th key={c.header} scope="col">
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={props.rowKey(row)}>
            {props.columns.map((c) => (
              <td key={c.header} className={c.className?.(row)}>
                {c.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
