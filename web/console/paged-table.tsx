/** A list page's table: its header and rows in a ScrollBox, and "More" under it for the next page. */
import type { ComponentChildren } from 'preact';
import { ScrollBox } from './scroll-box';
import { Head, More } from './ui';
import type { Pages } from './use-pages';

/** `rows` (one <tr> per node of `pages`) under `columns`, in a scroll box named `label`, then *More*. */
export function PagedTable<R, N>({ label, columns, pages, children }: { label: string; columns: string[]; pages: Pages<R, N>; children: ComponentChildren }) {
  return (
    <>
      <ScrollBox label={label}>
        <table>
          <Head columns={columns} />
          <tbody>{children}</tbody>
        </table>
      </ScrollBox>
      <More shown={pages.nodes.length} {...pages} />
    </>
  );
}
