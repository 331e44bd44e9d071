/**
 * Companies: a searchable list (pages of 100, "Show more"), a detail panel with the
 * company's fields and its people, and a "New company" dialog.
 */
import { useState } from 'react';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useDebounce } from 'use-debounce';
import { Building2, Plus, Search } from 'lucide-react';
import { api, keys, type Company } from '../api';
import { CompanyPanel } from './CompanyPanel';
import { NewCompanyDialog } from './NewCompanyDialog';

const PAGE = 100;

export function CompaniesView({ onOpenPerson }: { onOpenPerson: (id: string) => void }) {
  const [search, setSearch] = useState('');
  const [q] = useDebounce(search.trim(), 120);
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const list = useInfiniteQuery({
    queryKey: [...keys.companies, 'list', q],
    queryFn: ({ pageParam }) => api.companies.list({ search: q || null, limit: PAGE, offset: pageParam, trashed: false }),
    initialPageParam: 0,
    getNextPageParam: (last) => (last.offset + last.items.length < last.total ? last.offset + last.items.length : undefined),
    placeholderData: keepPreviousData,
  });
  const rows: Company[] = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total ?? 0;

  return (
    <div className={`view ${openId ? 'with-panel' : ''}`}>
      <div className="view-main">
        <div className="toolbar" role="search">
          <div className="field field-inline search-field">
            <label htmlFor="companies-search">Search</label>
            <span className="input-icon">
              <Search size={15} aria-hidden />
              <input
                id="companies-search"
                className="input"
                type="search"
                placeholder="Company name or domain"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
                autoComplete="off"
              />
            </span>
          </div>
          <span className="spacer" />
          <span className="muted count">{list.isPending ? 'Loading…' : `${total.toLocaleString()} ${total === 1 ? 'company' : 'companies'}`}</span>
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
            <Plus size={15} aria-hidden /> New company
          </button>
        </div>
        {!list.isPending && rows.length === 0 ? (
          <div className="table-empty">
            <div className="empty">
              <Building2 size={40} aria-hidden className="empty-icon" />
              <h2>{q ? 'No company matches' : 'No companies yet'}</h2>
              <p className="muted">
                {q ? `Nothing matches “${q}”.` : 'Companies appear when you add one, or give a person a company.'}
              </p>
            </div>
          </div>
        ) : (
          <div className="simple-table-wrap">
            <table className="simple-table" aria-label="Companies">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Domain</th>
                  <th scope="col">Industry</th>
                  <th scope="col" className="num">
                    People
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((c) => (
                  <tr key={c.id} className={c.id === openId ? 'selected' : ''}>
                    <td>
                      <button type="button" className="link-btn" onClick={() => setOpenId(c.id)}>
                        {c.name}
                      </button>
                    </td>
                    <td className="muted">{c.domain ?? ''}</td>
                    <td>{c.industry ?? ''}</td>
                    <td className="num tabular">{c.peopleCount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {list.hasNextPage && (
              <button type="button" className="btn btn-ghost more-btn" onClick={() => void list.fetchNextPage()}>
                Show more ({(total - rows.length).toLocaleString()} left)
              </button>
            )}
          </div>
        )}
      </div>
      {openId && <CompanyPanel id={openId} onClose={() => setOpenId(null)} onOpenPerson={onOpenPerson} />}
      <NewCompanyDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(c) => {
          setCreating(false);
          setOpenId(c.id);
        }}
      />
    </div>
  );
}
