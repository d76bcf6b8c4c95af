/** Page arithmetic for long answer lists. */
export const ANSWERS_PER_PAGE = 100;

export interface PageWindow {
  page: number;
  pageCount: number;
  start: number;
  end: number;
}

export function pageWindow(total: number, requestedPage: number, perPage = ANSWERS_PER_PAGE): PageWindow {
  const pageCount = Math.max(1, Math.ceil(total / perPage));
  const page = Math.min(Math.max(0, Math.floor(requestedPage)), pageCount - 1);
  const start = page * perPage;
  return { page, pageCount, start, end: Math.min(total, start + perPage) };
}
