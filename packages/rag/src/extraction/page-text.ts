// Pages of a paginated document are joined with a form feed, so a page's offsets survive in the one text.
export const PAGE_BREAK = "\f";

export function joinPages(pages: readonly string[]): { text: string; pageStarts: number[] } {
  const pageStarts: number[] = [];
  let text = "";
  pages.forEach((page, i) => {
    if (i > 0) text += PAGE_BREAK;
    pageStarts.push(text.length);
    text += page;
  });
  return { text, pageStarts };
}
