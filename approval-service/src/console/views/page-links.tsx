import type { FC } from 'hono/jsx';

/** The links between the pages of a request list; each absent where there is no such page. */
export interface PageLinksProps {
  /** The next page, of older requests. */
  olderHref?: string | undefined;
  /** The first page, of the newest requests. */
  newestHref?: string | undefined;
}

/** Links to the older page and back to the newest, where there are such pages. */
export const PageLinks: FC<PageLinksProps> = ({ olderHref, newestHref }) =>
  olderHref || newestHref ? (
    <nav class="actions" aria-label="Pages of requests">
      {newestHref && <a href={newestHref}>Newest</a>}
      {olderHref && (
        <a href={olderHref} rel="next">
          Older requests
        </a>
      )}
    </nav>
  ) : null;
