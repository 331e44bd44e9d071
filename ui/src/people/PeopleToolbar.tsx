/** Search-as-you-type, company and tag filters, the column chooser, and "New person". */
import { useQuery } from '@tanstack/react-query';
import { Columns3, Search, X } from 'lucide-react';
import type { Column } from '@tanstack/react-table';
import { api, keys } from '../api';
import { columns } from './columns';

type Props = {
  search: string;
  onSearch: (s: string) => void;
  searchRef: React.RefObject<HTMLInputElement | null>;
  companyId: string | null;
  onCompanyId: (id: string | null) => void;
  tag: string;
  onTag: (t: string) => void;
  visibility: Record<string, boolean>;
  onToggleColumn: (id: string, visible: boolean) => void;
  count: string;
  /** The panel is open: the table shows its compact columns, so no chooser. */
  compact: boolean;
};

export function PeopleToolbar(p: Props) {
  const companies = useQuery({
    queryKey: [...keys.companies, 'filter'],
    queryFn: () => api.companies.list({ search: null, limit: 100, offset: 0, trashed: false }),
  });
  return (
    <div className="toolbar" role="search">
      <div className="field field-inline search-field">
        <label htmlFor="people-search">Search</label>
        <span className="input-icon">
          <Search size={15} aria-hidden />
          <input
            id="people-search"
            ref={p.searchRef}
            className="input"
            type="search"
            placeholder="Name, email, phone or company  ( / )"
            value={p.search}
            onChange={(e) => p.onSearch(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && p.search) {
                e.stopPropagation();
                p.onSearch('');
              }
            }}
            autoComplete="off"
            spellCheck={false}
          />
        </span>
      </div>
      <div className="field field-inline">
        <label htmlFor="people-company">Company</label>
        <select
          id="people-company"
          className="input"
          value={p.companyId ?? ''}
          onChange={(e) => p.onCompanyId(e.target.value || null)}
        >
          <option value="">All companies</option>
          {companies.data?.items.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-inline">
        <label htmlFor="people-tag">Tag</label>
        <input
          id="people-tag"
          className="input input-tag"
          value={p.tag}
          placeholder="any"
          onChange={(e) => p.onTag(e.target.value)}
          autoComplete="off"
        />
      </div>
      {(p.search || p.companyId || p.tag) && (
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={() => {
            p.onSearch('');
            p.onCompanyId(null);
            p.onTag('');
          }}
        >
          <X size={14} aria-hidden /> Clear filters
        </button>
      )}
      <span className="spacer" />
      <span className="muted count" data-testid="people-count" aria-live="polite">
        {p.count}
      </span>
      {!p.compact && <ColumnChooser visibility={p.visibility} onToggle={p.onToggleColumn} />}
    </div>
  );
}

/** A disclosure with one labelled checkbox per hideable column. */
function ColumnChooser({ visibility, onToggle }: { visibility: Record<string, boolean>; onToggle: (id: string, v: boolean) => void }) {
  const hideable = columns.filter((c) => c.enableHiding !== false) as Column<any, any, any>['columnDef'][];
  return (
    <details className="menu">
      <summary className="btn" aria-label="Choose columns">
        <Columns3 size={15} aria-hidden /> Columns
      </summary>
      <div className="menu-body" role="group" aria-label="Visible columns">
        {hideable.map((c) => {
          const id = c.id as string;
          return (
            <label key={id} className="check">
              <input type="checkbox" checked={visibility[id] !== false} onChange={(e) => onToggle(id, e.target.checked)} />
              {(c.meta as { label: string } | undefined)?.label ?? id}
            </label>
          );
        })}
        <p className="menu-note muted">Custom-field columns appear here once fields are defined.</p>
      </div>
    </details>
  );
}
