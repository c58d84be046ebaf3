import type { ReactNode } from 'react';

export function Card({
  children,
  className = '',
  ...rest
}: { children: ReactNode; className?: string } & React.HTMLAttributes<HTMLDivElement>) {
  return (
    <div
      className={`rounded-lg border border-zinc-200 bg-white shadow-xs dark:border-zinc-800 dark:bg-zinc-900 ${className}`}
      {...rest}
    >
      {children}
    </div>
  );
}

export function SectionHeading({
  title,
  id,
  children,
}: {
  title: string;
  id?: string;
  children?: ReactNode;
}) {
  return (
    <div className="mb-3 flex items-center gap-3">
      <h2 id={id} className="text-sm font-semibold tracking-wide text-zinc-700 uppercase dark:text-zinc-300">
        {title}
      </h2>
      {children}
    </div>
  );
}
