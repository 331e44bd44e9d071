/**
 * The people table shell: a virtual ARIA grid over `total` rows, of which only those on
 * screen exist in the DOM. Headers sort (in the database), rows open on click or Enter,
 * arrow keys / Page Up / Page Down / Home / End move the active row, Delete trashes it.
 */
import { memo, useEffect, useMemo, useRef } from 'react';
import { useTable, type SortingState, type ColumnVisibilityState, type Updater } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp, ArrowUpDown } from 'lucide-react';
import { features, type PersonRow } from './columns';
import type { ColumnDef } from '@tanstack/react-table';
import { usePeopleHead, usePeopleWindow, type PeopleFilter } from './usePeopleWindow';
import { RowActions } from './RowActions';
import type { Person } from '../api';

const ROW_HEIGHT = 40;

type Props = {
  /** The built-in columns followed by one per custom field. */
  columns: ColumnDef<typeof features, PersonRow, any>[];
  filter: PeopleFilter;
  sorting: SortingState;
  onSortingChange: (u: Updater<SortingState>) => void;
  columnVisibility: ColumnVisibilityState;
  onColumnVisibilityChange: (u: Updater<ColumnVisibilityState>) => void;
  activeIndex: number;
  onActiveIndexChange: (i: number) => void;
  selectedId: string | null;
  onOpen: (p: Person) => void;
  onTrash: (p: Person) => void;
  onTotal: (n: number, loading: boolean) => void;
  empty: React.ReactNode;
  gridRef: React.RefObject<HTMLDivElement | null>;
};

export function PeopleTable(props: Props) {
  const { filter, activeIndex, onActiveIndexChange, onOpen, onTrash, gridRef } = props;
  const scrollRef = useRef<HTMLDivElement>(null);

  // The first page gives the count that sizes the virtualizer; the virtualizer gives the
  // visible range whose pages are then loaded.
  const head = usePeopleHead(filter);
  const virtualizer = useVirtualizer({
    count: head.data?.total ?? 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const win = usePeopleWindow(filter, head, first, last);

  const data = useMemo<PersonRow[]>(
    () => items.map((vi) => ({ index: vi.index, person: win.personAt(vi.index) })),
    // personAt changes identity each render; the rows only change with these inputs.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [items.map((vi) => `${vi.index}:${win.personAt(vi.index)?.updatedAt ?? '-'}:${win.personAt(vi.index)?.id ?? ''}`).join(',')],
  );

  const table = useTable({
    features,
    columns: props.columns,
    data,
    getRowId: (r: PersonRow) => String(r.index),
    manualSorting: true,
    enableSortingRemoval: false,
    enableMultiSort: false,
    state: { sorting: props.sorting, columnVisibility: props.columnVisibility },
    onSortingChange: props.onSortingChange,
    onColumnVisibilityChange: props.onColumnVisibilityChange,
  });

  useEffect(() => props.onTotal(win.total, win.loading), [win.total, win.loading]); // eslint-disable-line react-hooks/exhaustive-deps

  // Keep the active row on screen.
  useEffect(() => {
    if (win.total > 0 && activeIndex >= 0) virtualizer.scrollToIndex(Math.min(activeIndex, win.total - 1));
  }, [activeIndex]); // eslint-disable-line react-hooks/exhaustive-deps

  const visibleColumns = table.getVisibleLeafColumns();
  const template = visibleColumns
    // Space is shared in proportion to each column's size; none shrinks below half of it.
    .map((c) => `minmax(${Math.round(c.getSize() / 2)}px, ${c.getSize()}fr)`)
    .concat('72px')
    .join(' ');
  const gridStyle = { gridTemplateColumns: template } as React.CSSProperties;
  const columnsKey = visibleColumns.map((c) => c.id).join(',');

  function onKeyDown(e: React.KeyboardEvent) {
    if (win.total === 0) return;
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const move = (i: number) => {
      e.preventDefault();
      onActiveIndexChange(Math.max(0, Math.min(win.total - 1, i)));
    };
    const cur = Math.max(0, activeIndex);
    switch (e.key) {
      case 'ArrowDown':
        return move(activeIndex < 0 ? 0 : cur + 1);
      case 'ArrowUp':
        return move(cur - 1);
      case 'PageDown':
        return move(cur + pageRows);
      case 'PageUp':
        return move(cur - pageRows);
      case 'Home':
        return move(0);
      case 'End':
        return move(win.total - 1);
      case 'Enter': {
        const p = win.personAt(cur);
        if (p) {
          e.preventDefault();
          e.stopPropagation();
          onOpen(p);
        }
        return;
      }
      case 'Delete': {
        const p = win.personAt(cur);
        if (p) {
          e.preventDefault();
          e.stopPropagation();
          onTrash(p);
        }
        return;
      }
    }
  }

  if (!win.loading && win.total === 0) return <div className="table-empty">{props.empty}</div>;

  const rowsById = new Map(table.getRowModel().rows.map((r) => [r.original.index, r]));
  return (
    <div
      ref={gridRef}
      className="grid"
      role="grid"
      aria-label="People"
      aria-rowcount={win.total + 1}
      aria-busy={win.loading}
      tabIndex={0}
      aria-activedescendant={activeIndex >= 0 ? `person-row-${activeIndex}` : undefined}
      onKeyDown={onKeyDown}
      onFocus={() => activeIndex < 0 && win.total > 0 && onActiveIndexChange(0)}
    >
      <div className="grid-head" role="rowgroup">
        {table.getHeaderGroups().map((group) => (
          <div key={group.id} role="row" aria-rowindex={1} className="grid-row grid-header-row" style={gridStyle}>
            {group.headers.map((header) => {
              const sorted = header.column.getIsSorted();
              const canSort = header.column.getCanSort();
              return (
                <div
                  key={header.id}
                  role="columnheader"
                  className="grid-cell grid-header-cell"
                  aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : canSort ? 'none' : undefined}
                >
                  {canSort ? (
                    <button
                      type="button"
                      className="sort-btn"
                      tabIndex={-1}
                      onClick={header.column.getToggleSortingHandler()}
                      aria-label={`Sort by ${header.column.columnDef.meta?.label ?? header.id}`}
                    >
                      <table.FlexRender header={header} />
                      {sorted === 'asc' ? (
                        <ArrowUp size={13} aria-hidden />
                      ) : sorted === 'desc' ? (
                        <ArrowDown size={13} aria-hidden />
                      ) : (
                        <ArrowUpDown size={13} aria-hidden className="sort-idle" />
                      )}
                    </button>
                  ) : (
                    <table.FlexRender header={header} />
                  )}
                </div>
              );
            })}
            <div role="columnheader" className="grid-cell grid-header-cell">
              <span className="sr-only">Actions</span>
            </div>
          </div>
        ))}
      </div>
      <div ref={scrollRef} className="grid-body" role="rowgroup" data-testid="people-scroller">
        <div className="grid-spacer" style={{ height: virtualizer.getTotalSize() } as React.CSSProperties}>
          {items.map((vi) => {
            const row = rowsById.get(vi.index);
            const person = row?.original.person ?? null;
            return (
              <DataRow
                key={vi.key}
                index={vi.index}
                start={vi.start}
                person={person}
                active={vi.index === activeIndex}
                selected={person != null && person.id === props.selectedId}
                template={template}
                columnsKey={columnsKey}
                cells={row?.getVisibleCells().map((cell) => (
                  <div key={cell.id} role="gridcell" className="grid-cell">
                    <table.FlexRender cell={cell} />
                  </div>
                ))}
                onActivate={onActiveIndexChange}
                onOpen={onOpen}
                onTrash={onTrash}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

type DataRowProps = {
  index: number;
  start: number;
  person: Person | null;
  active: boolean;
  selected: boolean;
  template: string;
  /** Which columns are shown: a row re-renders only when this or its person changes. */
  columnsKey: string;
  cells: React.ReactNode;
  onActivate: (i: number) => void;
  onOpen: (p: Person) => void;
  onTrash: (p: Person) => void;
};

/**
 * One virtual row. Memoised on what it shows (person, position, state, columns): while
 * scrolling, rows that stay on screen are not rendered again, which keeps frames short.
 */
const DataRow = memo(
  function DataRow({ index, start, person, active, selected, template, cells, onActivate, onOpen, onTrash }: DataRowProps) {
    return (
      <div
        id={`person-row-${index}`}
        role="row"
        aria-rowindex={index + 2}
        aria-selected={active}
        data-person-id={person?.id}
        className={`grid-row data-row ${active ? 'active' : ''} ${selected ? 'selected' : ''}`}
        style={{ gridTemplateColumns: template, height: ROW_HEIGHT, transform: `translateY(${start}px)` } as React.CSSProperties}
        onClick={() => {
          onActivate(index);
          if (person) onOpen(person);
        }}
      >
        {cells}
        <div role="gridcell" className="grid-cell row-actions-cell">
          {person && <RowActions person={person} onOpen={onOpen} onTrash={onTrash} />}
        </div>
      </div>
    );
  },
  (a, b) =>
    a.index === b.index &&
    a.start === b.start &&
    a.person === b.person &&
    a.active === b.active &&
    a.selected === b.selected &&
    a.template === b.template &&
    a.columnsKey === b.columnsKey &&
    a.onOpen === b.onOpen &&
    a.onTrash === b.onTrash,
);
