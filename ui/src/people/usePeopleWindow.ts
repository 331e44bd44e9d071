/**
 * Lazy paging for the virtual people table: only the pages of 100 rows that are on
 * screen (plus one either side) are asked for, each cached by TanStack Query under the
 * query it belongs to. Scrolling fast through 100,000 rows asks only for the pages
 * where the scroll comes to rest (the page range is debounced), so the database is
 * never flooded; rows not yet loaded render as placeholders.
 */
import { keepPreviousData, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useDebounce } from 'use-debounce';
import { api, keys, type PeoplePage, type PeopleQuery, type Person } from '../api';

export const PAGE_SIZE = 100;

/** How long a page scrolled out of view stays cached: refetching one costs under a
 * millisecond, and a 100,000-row list visited end to end would otherwise keep every page. */
const PAGE_GC_MS = 10_000;

export type PeopleFilter = Omit<PeopleQuery, 'limit' | 'offset'>;

const fetchPage = (filter: PeopleFilter, page: number): Promise<PeoplePage> =>
  api.people.list({ ...filter, limit: PAGE_SIZE, offset: page * PAGE_SIZE });

export type PeopleWindow = {
  total: number;
  /** True until the first page of the current filter has arrived. */
  loading: boolean;
  error: Error | null;
  personAt: (index: number) => Person | null;
};

/** The first page of a filter: it carries the total, which sizes the virtual list. */
export function usePeopleHead(filter: PeopleFilter) {
  return useQuery({
    queryKey: [...keys.people, filter, 0],
    queryFn: () => fetchPage(filter, 0),
    // While a new search runs, keep showing the previous rows rather than a blank list.
    placeholderData: keepPreviousData,
  });
}

export function usePeopleWindow(
  filter: PeopleFilter,
  head: ReturnType<typeof usePeopleHead>,
  firstVisible: number,
  lastVisible: number,
): PeopleWindow {
  const queryClient = useQueryClient();
  const total = head.data?.total ?? 0;
  const lastPage = Math.max(0, Math.ceil(total / PAGE_SIZE) - 1);
  const want: [number, number] = [
    Math.max(0, Math.floor(firstVisible / PAGE_SIZE) - 1),
    Math.min(lastPage, Math.floor(lastVisible / PAGE_SIZE) + 1),
  ];
  const [range] = useDebounce(want, 60, { maxWait: 250, equalityFn: (a, b) => a[0] === b[0] && a[1] === b[1] });

  const pages: number[] = [];
  for (let p = Math.max(1, range[0]); p <= Math.min(range[1], lastPage); p++) pages.push(p);
  const results = useQueries({
    queries: pages.map((p) => ({
      queryKey: [...keys.people, filter, p],
      queryFn: () => fetchPage(filter, p),
      enabled: !head.isPlaceholderData && head.isSuccess,
      gcTime: PAGE_GC_MS,
    })),
  });

  const loaded = new Map<number, Person[]>();
  if (head.data) loaded.set(0, head.data.items);
  pages.forEach((p, i) => {
    const d = results[i]?.data;
    if (d) loaded.set(p, d.items);
  });
  // Pages scrolled into view before the debounce settles: show them if already cached.
  for (let p = want[0]; p <= want[1]; p++) {
    if (loaded.has(p)) continue;
    const cached = queryClient.getQueryData<PeoplePage>([...keys.people, filter, p]);
    if (cached) loaded.set(p, cached.items);
  }

  return {
    total,
    loading: head.isPending,
    error: (head.error as Error | null) ?? null,
    personAt: (index: number) => loaded.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE] ?? null,
  };
}
