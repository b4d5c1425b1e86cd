/**
 * The pieces every view's layout is made of: a titled section (its heading names it for assistive technology)
 * and a table whose column headers are declared once, each a column header (`scope="col"`).
 */
import type { ComponentChildren } from 'preact';

export function Section({ id, title, children }: { id: string; title: ComponentChildren; children: ComponentChildren }) {
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {children}
    </section>
  );
}

export function Table({ columns, caption, className, children }: {
  columns: readonly string[]; caption?: string; className?: string; children: ComponentChildren;
}) {
  return (
    <table class={className}>
      {caption && <caption class="visually-hidden">{caption}</caption>}
      <thead>
        <tr>
          {columns.map((column) => <th key={column} scope="col">{column}</th>)}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
