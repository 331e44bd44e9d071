/**
 * The trash: trashed people and companies, each restorable or deletable for good.
 * (Core keeps trashed records until purged; nothing here empties the trash on its own.)
 */
import { useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { RotateCcw, Trash } from 'lucide-react';
import { api, keys } from '../api';
import { Avatar } from '../components/Avatar';
import { formatDateTime } from '../lib/format';
import { useUndo } from '../lib/undo';

export function TrashView() {
  const [tab, setTab] = useState<'people' | 'companies'>('people');
  return (
    <div className="view">
      <div className="view-main">
        <div className="toolbar">
          <h1 className="view-title">Trash</h1>
          <div role="tablist" aria-label="Trash contents" className="tabs">
            {(['people', 'companies'] as const).map((t) => (
              <button key={t} type="button" role="tab" aria-selected={tab === t} className="tab" onClick={() => setTab(t)}>
                {t === 'people' ? 'People' : 'Companies'}
              </button>
            ))}
          </div>
        </div>
        <div role="tabpanel" className="simple-table-wrap">
          {tab === 'people' ? <TrashedPeople /> : <TrashedCompanies />}
        </div>
      </div>
    </div>
  );
}

/** One trashed record as the table shows it, with what restoring and purging call. */
type Trashed = {
  id: string;
  name: string;
  nameCell: ReactNode;
  detail: string;
  deletedAt: string | null;
  restore: () => Promise<unknown>;
  trashAgain: () => Promise<unknown>;
  purge: () => Promise<unknown>;
};

function TrashTable({ label, what, detail, rows, total, invalidate }: {
  label: string;
  what: string;
  detail: string;
  rows: Trashed[] | undefined;
  total: number;
  invalidate: readonly string[];
}) {
  const queryClient = useQueryClient();
  const { push, notify } = useUndo();
  const refresh = () => queryClient.invalidateQueries({ queryKey: invalidate });
  const run = async (action: () => Promise<unknown>, after: () => void) => {
    try {
      await action();
      await refresh();
      after();
    } catch (e) {
      notify((e as Error).message, 'error');
    }
  };

  if (rows && rows.length === 0) {
    return (
      <div className="empty">
        <Trash size={40} aria-hidden className="empty-icon" />
        <h2>Trash is empty</h2>
        <p className="muted">{what} you move to the trash wait here until you restore them or delete them for good.</p>
      </div>
    );
  }
  return (
    <table className="simple-table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">{detail}</th>
          <th scope="col">Trashed</th>
          <th scope="col">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows?.map((r) => (
          <tr key={r.id}>
            <td>{r.nameCell}</td>
            <td className="muted">{r.detail}</td>
            <td className="muted">{formatDateTime(r.deletedAt)}</td>
            <td className="actions">
              <button
                type="button"
                className="btn btn-sm"
                aria-label={`Restore ${r.name}`}
                onClick={() => void run(r.restore, () => push(`Restored ${r.name}`, r.trashAgain))}
              >
                <RotateCcw size={14} aria-hidden /> Restore
              </button>
              <button
                type="button"
                className="btn btn-sm btn-danger-ghost"
                aria-label={`Delete ${r.name} for good`}
                onClick={() => {
                  if (window.confirm(`Delete ${r.name} for good? This cannot be undone.`)) {
                    void run(r.purge, () => notify(`Deleted ${r.name} for good`));
                  }
                }}
              >
                Delete for good
              </button>
            </td>
          </tr>
        ))}
      </tbody>
      {rows && total > rows.length && (
        <caption className="muted caption-bottom">
          Showing the {rows.length} most recent of {total.toLocaleString()}.
        </caption>
      )}
    </table>
  );
}

function TrashedPeople() {
  const list = useQuery({
    queryKey: [...keys.people, 'trash'],
    queryFn: () =>
      api.people.list({ search: null, companyId: null, tag: null, sort: 'updated', descending: true, limit: 100, offset: 0, trashed: true }),
  });
  const rows = list.data?.items.map<Trashed>((p) => ({
    id: p.id,
    name: p.fullName,
    nameCell: (
      <span className="name-cell">
        <Avatar id={p.id} name={p.fullName} />
        {p.fullName}
      </span>
    ),
    detail: p.emails[0]?.value ?? '',
    deletedAt: p.deletedAt,
    restore: () => api.people.restore(p.id),
    trashAgain: () => api.people.trash(p.id),
    purge: () => api.people.purge(p.id),
  }));
  return <TrashTable label="Trashed people" what="People" detail="Email" rows={rows} total={list.data?.total ?? 0} invalidate={keys.people} />;
}

function TrashedCompanies() {
  const list = useQuery({
    queryKey: [...keys.companies, 'trash'],
    queryFn: () => api.companies.list({ search: null, limit: 100, offset: 0, trashed: true }),
  });
  const rows = list.data?.items.map<Trashed>((c) => ({
    id: c.id,
    name: c.name,
    nameCell: c.name,
    detail: c.domain ?? '',
    deletedAt: c.deletedAt,
    restore: () => api.companies.restore(c.id),
    trashAgain: () => api.companies.trash(c.id),
    purge: () => api.companies.purge(c.id),
  }));
  return (
    <TrashTable label="Trashed companies" what="Companies" detail="Domain" rows={rows} total={list.data?.total ?? 0} invalidate={keys.companies} />
  );
}
