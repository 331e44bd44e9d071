/** Search-as-you-type, company and tag filters, the column chooser, and "New person". */
import { useQuery } from '@tanstack/react-query';
import { Columns3, Search, X } from 'lucide-react';
import type { ColumnDef } from '@tanstack/react-table';
import { api, keys, type FieldDef } from '../api';
import { FieldFilterControls, noFieldFilter, type FieldFilterDraft } from './FieldFilter';

type Props = {
  search: string;
  onSearch: (s: string) => void;
  searchRef: React.RefObject<HTMLInputElement | null>;
  companyId: string | null;
  onCompanyId: (id: string | null) => void;
  tag: string;
  onTag: (t: string) => void;
  fieldFilter: FieldFilterDraft;
  onFieldFilter: (f: FieldFilterDraft) => void;
  fieldDefs: FieldDef[];
  /** Every column, custom fields included (the chooser lists the hideable ones). */
  columns: ColumnDef<any, any, any>[];
  visibility: Record<string, boolean>;
  onToggleColumn: (id: string, visible: boolean) => void;
  count: string;
  /** The panel is open: the table shows its compact columns, so no chooser. */
  compact: boolean;
  /** Actions on the people shown (enrich them). */
  actions?: React.ReactNode;
};

export function PeopleToolbar(p: Props) {
  const companies = useQuery({
    queryKey: [...keys.companies, 'filter'],
    queryFn: () => api.companies.list({ search: null, limit: 100, offset: 0, trashed: false }),
  });
  // The tags in use, offered by the tag filter (refreshed with the people list).
  const tags = useQuery({ queryKey: keys.tags, queryFn: api.people.tags, staleTime: 60_000 });
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
          list="people-tags"
        />
        <datalist id="people-tags" data-testid="people-tags">
          {tags.data?.map((t) => (
            <option key={t.tag} value={t.tag} label={`${t.tag} (${t.count.toLocaleString()})`} />
          ))}
        </datalist>
      </div>
      <FieldFilterControls value={p.fieldFilter} onChange={p.onFieldFilter} defs={p.fieldDefs} />
      {(p.search || p.companyId || p.tag || p.fieldFilter.key) && (
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={() => {
            p.onSearch('');
            p.onCompanyId(null);
            p.onTag('');
            p.onFieldFilter(noFieldFilter);
          }}
        >
          <X size={14} aria-hidden /> Clear filters
        </button>
      )}
      <span className="spacer" />
      <span className="muted count" data-testid="people-count" aria-live="polite">
        {p.count}
      </span>
      {!p.compact && p.actions}
      {!p.compact && <ColumnChooser columns={p.columns} visibility={p.visibility} onToggle={p.onToggleColumn} />}
    </div>
  );
}

/** A disclosure with one labelled checkbox per hideable column. */
function ColumnChooser({
  columns,
  visibility,
  onToggle,
}: {
  columns: ColumnDef<any, any, any>[];
  visibility: Record<string, boolean>;
  onToggle: (id: string, v: boolean) => void;
}) {
  const hideable = columns.filter((c) => c.enableHiding !== false);
  const box = (c: ColumnDef<any, any, any>) => {
    const id = c.id as string;
    return (
      <label key={id} className="check">
        <input type="checkbox" checked={visibility[id] !== false} onChange={(e) => onToggle(id, e.target.checked)} />
        {(c.meta as { label: string } | undefined)?.label ?? id}
      </label>
    );
  };
  const builtIn = hideable.filter((c) => !(c.id as string).startsWith('cf_'));
  const custom = hideable.filter((c) => (c.id as string).startsWith('cf_'));
  return (
    <details className="menu">
      <summary className="btn" aria-label="Choose columns">
        <Columns3 size={15} aria-hidden /> Columns
      </summary>
      <div className="menu-body" role="group" aria-label="Visible columns">
        {builtIn.map(box)}
        {custom.length > 0 ? (
          <div role="group" aria-label="Custom fields">
            <p className="menu-note muted">Custom fields</p>
            {custom.map(box)}
          </div>
        ) : (
          <p className="menu-note muted">Custom fields appear here once defined in Fields.</p>
        )}
      </div>
    </details>
  );
}
