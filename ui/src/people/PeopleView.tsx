/**
 * The People screen: toolbar, virtual table and, when a person is open, their panel.
 * Owns the list state (search, filters, sort, columns) and the open person.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useDebounce } from 'use-debounce';
import { useQueryClient } from '@tanstack/react-query';
import { useHotkeys } from 'react-hotkeys-hook';
import { Sparkles, UserPlus } from 'lucide-react';
import type { SortingState, ColumnVisibilityState } from '@tanstack/react-table';
import { api, keys, type Person } from '../api';
import { useUndo } from '../lib/undo';
import { columns, customFieldColumns, defaultVisibility, sortKeyOf } from './columns';
import { useFieldDefs } from '../fields/CustomFieldInputs';
import { toFieldFilter, type FieldFilterDraft } from './FieldFilter';
import { PeopleTable } from './PeopleTable';
import { PeopleToolbar } from './PeopleToolbar';
import { PersonPanel } from './PersonPanel';
import type { PeopleFilter } from './usePeopleWindow';

const VIS_KEY = 'carnet.people.columns';

/** With the person panel open, the list narrows to who and where (like a contacts app). */
const compactVisibilityOf = (cols: { id?: string }[]): ColumnVisibilityState =>
  Object.fromEntries(cols.map((c) => [c.id as string, ['name', 'email', 'company'].includes(c.id as string)]));

function loadVisibility(): ColumnVisibilityState {
  try {
    return { ...defaultVisibility, ...JSON.parse(localStorage.getItem(VIS_KEY) ?? '{}') };
  } catch {
    return defaultVisibility;
  }
}

type Props = {
  openId: string | null;
  onOpenId: (id: string | null) => void;
  onNew: () => void;
  searchRef: React.RefObject<HTMLInputElement | null>;
};

export function PeopleView({ openId, onOpenId, onNew, searchRef }: Props) {
  const [search, setSearch] = useState('');
  const [companyId, setCompanyId] = useState<string | null>(null);
  const [tag, setTag] = useState('');
  const [fieldFilter, setFieldFilter] = useState<FieldFilterDraft>({ key: '', op: 'eq', value: '' });
  const fieldDefs = useFieldDefs('person');
  const allColumns = useMemo(() => [...columns, ...customFieldColumns(fieldDefs.data ?? [])], [fieldDefs.data]);
  const compactVisibility = useMemo(() => compactVisibilityOf(allColumns), [allColumns]);
  const [sorting, setSorting] = useState<SortingState>([{ id: 'name', desc: false }]);
  const [visibility, setVisibility] = useState<ColumnVisibilityState>(loadVisibility);
  const [activeIndex, setActiveIndex] = useState(-1);
  const [count, setCount] = useState({ total: 0, loading: true });
  const gridRef = useRef<HTMLDivElement>(null);
  const queryClient = useQueryClient();
  const { push, notify } = useUndo();

  const [debouncedSearch] = useDebounce(search.trim(), 120);
  const [debouncedTag] = useDebounce(tag.trim(), 200);
  const [debouncedField] = useDebounce(fieldFilter, 200);
  const sort = sorting[0] ?? { id: 'name', desc: false };
  const customSort = sort.id.startsWith('cf_') && fieldDefs.data?.some((d) => d.key === sort.id);
  const activeFieldFilter = toFieldFilter(debouncedField, fieldDefs.data ?? []);
  const filter: PeopleFilter = {
    search: debouncedSearch || null,
    companyId,
    tag: debouncedTag || null,
    sort: sortKeyOf[sort.id as keyof typeof sortKeyOf] ?? 'name',
    descending: sort.desc,
    trashed: false,
    filters: activeFieldFilter ? [activeFieldFilter] : [],
    sortField: customSort ? sort.id : null,
  };
  // Custom-field columns start hidden; the user's choice (saved) wins.
  const shownColumns: ColumnVisibilityState = {
    ...Object.fromEntries((fieldDefs.data ?? []).map((d) => [d.key, false])),
    ...visibility,
  };

  useEffect(() => localStorage.setItem(VIS_KEY, JSON.stringify(visibility)), [visibility]);
  useEffect(() => setActiveIndex(-1), [debouncedSearch, companyId, debouncedTag, sort.id, sort.desc, JSON.stringify(activeFieldFilter)]); // eslint-disable-line react-hooks/exhaustive-deps

  const trash = useCallback(
    async (p: Person) => {
      try {
        const t = await api.people.trash(p.id);
        await queryClient.invalidateQueries({ queryKey: keys.people });
        await queryClient.invalidateQueries({ queryKey: keys.person(p.id) });
        push(`Moved ${t.fullName} to trash`, () => api.people.restore(t.id));
        if (openId === p.id) onOpenId(null);
      } catch (e) {
        notify((e as Error).message, 'error');
      }
    },
    [queryClient, push, notify, openId, onOpenId],
  );

  async function enrichShown() {
    const n = count.total;
    if (n > 1000 && !window.confirm(`Enrich ${n.toLocaleString()} people? It runs in the background and can be cancelled.`)) return;
    try {
      await api.enrich.shown(filter);
    } catch (e) {
      notify((e as Error).message, 'error');
    }
  }

  const openPerson = useCallback((p: Person) => onOpenId(p.id), [onOpenId]);
  const trashPerson = useCallback((p: Person) => void trash(p), [trash]);

  // Esc closes the panel and gives focus back to the table.
  useHotkeys(
    'esc',
    () => {
      if (openId) {
        onOpenId(null);
        gridRef.current?.focus();
      }
    },
    { enableOnFormTags: true },
    [openId],
  );

  const filtered = Boolean(debouncedSearch || companyId || debouncedTag || activeFieldFilter);
  const countText = count.loading
    ? 'Loading…'
    : `${count.total.toLocaleString()} ${count.total === 1 ? 'person' : 'people'}${filtered ? ' match' : ''}`;

  return (
    <div className={`view people-view ${openId ? 'with-panel' : ''}`}>
      <div className="view-main">
        <PeopleToolbar
          search={search}
          onSearch={setSearch}
          searchRef={searchRef}
          companyId={companyId}
          onCompanyId={setCompanyId}
          tag={tag}
          onTag={setTag}
          fieldFilter={fieldFilter}
          onFieldFilter={setFieldFilter}
          fieldDefs={fieldDefs.data ?? []}
          columns={allColumns}
          visibility={shownColumns}
          onToggleColumn={(id, v) => setVisibility((s: ColumnVisibilityState) => ({ ...s, [id]: v }))}
          count={countText}
          compact={openId != null}
          actions={
            count.total > 0 && (
              <button
                type="button"
                className="btn"
                onClick={() => void enrichShown()}
                title="Queue enrichment of every person the list shows (search and filters apply)"
              >
                <Sparkles size={15} aria-hidden /> Enrich {filtered ? `${count.total.toLocaleString()} shown` : 'all'}
              </button>
            )
          }
        />
        <PeopleTable
          columns={allColumns}
          filter={filter}
          sorting={sorting}
          onSortingChange={setSorting}
          columnVisibility={openId ? compactVisibility : shownColumns}
          onColumnVisibilityChange={setVisibility}
          activeIndex={activeIndex}
          onActiveIndexChange={setActiveIndex}
          selectedId={openId}
          onOpen={openPerson}
          onTrash={trashPerson}
          onTotal={(total, loading) => setCount({ total, loading })}
          gridRef={gridRef}
          empty={
            filtered ? (
              <div className="empty">
                <h2>No one matches</h2>
                <p className="muted">
                  Nobody's name, email, phone or company matches {debouncedSearch ? `“${debouncedSearch}”` : 'these filters'}.
                </p>
                <button
                  type="button"
                  className="btn"
                  onClick={() => {
                    setSearch('');
                    setCompanyId(null);
                    setTag('');
                    setFieldFilter({ key: '', op: 'eq', value: '' });
                  }}
                >
                  Clear filters
                </button>
              </div>
            ) : (
              <div className="empty">
                <UserPlus size={40} aria-hidden className="empty-icon" />
                <h2>No contacts yet</h2>
                <p className="muted">Add your first person, or import a vCard or CSV file with the command line.</p>
                <button type="button" className="btn btn-primary" onClick={onNew}>
                  New person
                </button>
              </div>
            )
          }
        />
      </div>
      {openId && (
        <PersonPanel
          id={openId}
          onClose={() => {
            onOpenId(null);
            gridRef.current?.focus();
          }}
          onTrashed={() => onOpenId(null)}
        />
      )}
    </div>
  );
}
