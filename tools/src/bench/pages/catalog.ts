import { dashboardPage } from './dashboard-page.js';
import { deviceDetailPage } from './device-detail-page.js';
import { deviceListPage } from './device-list-page.js';
import { orderListPage } from './order-list-page.js';
import type { BenchPage } from './page.js';
import { userListPage } from './user-list-page.js';

/** Every page of DOMAIN.md ("What the pages need") the pages benchmark drives, in the order it runs them. */
export const BENCH_PAGES: readonly BenchPage[] = [deviceListPage, userListPage, orderListPage, deviceDetailPage, dashboardPage];

/** The pages named by `--page a,b` (all of them when none is named), or an error naming the known ones. */
export function pagesNamed(names: readonly string[]): BenchPage[] {
  if (names.length === 0) return [...BENCH_PAGES];
  const unknown = names.filter((name) => !BENCH_PAGES.some((page) => page.name === name));
  if (unknown.length > 0) throw new Error(`unknown page ${unknown.join(', ')}; known: ${BENCH_PAGES.map((page) => page.name).join(', ')}`);
  return BENCH_PAGES.filter((page) => names.includes(page.name));
}
