import type { ReactNode } from 'react';

/** A list table: its column headings, and the rows the page renders. */
export function Table({ columns, className, children }: { columns: string[]; className?: string; children: ReactNode }) {
  return (
    <table className={className}>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column}>{column}</th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
