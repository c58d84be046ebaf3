/** The header row every data table shares: small muted labels, right-aligned number columns. */
export type Column = string | { label: string; align: 'right' };

export function TableHead({ columns, padding = 'px-4' }: { columns: Column[]; padding?: 'px-3' | 'px-4' }) {
  return (
    <thead className="text-xs text-zinc-500">
      <tr>
        {columns.map((column) => {
          const label = typeof column === 'string' ? column : column.label;
          const right = typeof column !== 'string' && column.align === 'right';
          return (
            <th key={label} scope="col" className={`${padding} py-2${right ? ' text-right' : ''}`}>
              {label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
