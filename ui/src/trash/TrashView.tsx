/**
 * The trash: trashed people and companies, each restorable or deletable for good.
 * (Core keeps trashed records until purged; nothing here empties the trash on its own.)
 */
import { useState } from 'react';
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
            <button type="button" role="tab" aria-selected={tab === 'people'} className="tab" onClick={() => setTab('people')}>
              People
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={tab === 'companies'}
              className="tab"
              onClick={() => setTab('companies')}
            >
              Companies
            </button>
          </div>
        </div>
        <div role="tabpanel" className="simple-table-wrap">
          {tab === 'people' ? <TrashedPeople /> : <TrashedCompanies />}
        </div>
      </div>
    </div>
  );
}

function Empty({ what }: { what: string }) {
  return (
    <div className="empty">
      <Trash size={40} aria-hidden className="empty-icon" />
      <h2>Trash is empty</h2>
      <p className="muted">{what} you move to the trash wait here until you restore them or delete them for good.</p>
    </div>
  );
}

function TrashedPeople() {
  const queryClient = useQueryClient();
  const { push, notify } = useUndo();
  const list = useQuery({
    queryKey: [...keys.people, 'trash'],
    queryFn: () =>
      api.people.list({ search: null, companyId: null, tag: null, sort: 'updated', descending: true, limit: 100, offset: 0, trashed: true }),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.people });
  if (list.data && list.data.items.length === 0) return <Empty what="People" />;
  return (
    <table className="simple-table" aria-label="Trashed people">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Email</th>
          <th scope="col">Trashed</th>
          <th scope="col">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {list.data?.items.map((p) => (
          <tr key={p.id}>
            <td>
              <span className="name-cell">
                <Avatar id={p.id} name={p.fullName} />
                {p.fullName}
              </span>
            </td>
            <td className="muted">{p.emails[0]?.value ?? ''}</td>
            <td className="muted">{formatDateTime(p.deletedAt)}</td>
            <td className="actions">
              <button
                type="button"
                className="btn btn-sm"
                aria-label={`Restore ${p.fullName}`}
                onClick={async () => {
                  try {
                    await api.people.restore(p.id);
                    await refresh();
                    push(`Restored ${p.fullName}`, () => api.people.trash(p.id));
                  } catch (e) {
                    notify((e as Error).message, 'error');
                  }
                }}
              >
                <RotateCcw size={14} aria-hidden /> Restore
              </button>
              <button
                type="button"
                className="btn btn-sm btn-danger-ghost"
                aria-label={`Delete ${p.fullName} for good`}
                onClick={async () => {
                  if (!window.confirm(`Delete ${p.fullName} for good? This cannot be undone.`)) return;
                  try {
                    await api.people.purge(p.id);
                    await refresh();
                    notify(`Deleted ${p.fullName} for good`);
                  } catch (e) {
                    notify((e as Error).message, 'error');
                  }
                }}
              >
                Delete for good
              </button>
            </td>
          </tr>
        ))}
      </tbody>
      {list.data && list.data.total > list.data.items.length && (
        <caption className="muted caption-bottom">
          Showing the {list.data.items.length} most recent of {list.data.total.toLocaleString()}.
        </caption>
      )}
    </table>
  );
}

function TrashedCompanies() {
  const queryClient = useQueryClient();
  const { push, notify } = useUndo();
  const list = useQuery({
    queryKey: [...keys.companies, 'trash'],
    queryFn: () => api.companies.list({ search: null, limit: 100, offset: 0, trashed: true }),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.companies });
  if (list.data && list.data.items.length === 0) return <Empty what="Companies" />;
  return (
    <table className="simple-table" aria-label="Trashed companies">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Domain</th>
          <th scope="col">Trashed</th>
          <th scope="col">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {list.data?.items.map((c) => (
          <tr key={c.id}>
            <td>{c.name}</td>
            <td className="muted">{c.domain ?? ''}</td>
            <td className="muted">{formatDateTime(c.deletedAt)}</td>
            <td className="actions">
              <button
                type="button"
                className="btn btn-sm"
                aria-label={`Restore ${c.name}`}
                onClick={async () => {
                  try {
                    await api.companies.restore(c.id);
                    await refresh();
                    push(`Restored ${c.name}`, () => api.companies.trash(c.id));
                  } catch (e) {
                    notify((e as Error).message, 'error');
                  }
                }}
              >
                <RotateCcw size={14} aria-hidden /> Restore
              </button>
              <button
                type="button"
                className="btn btn-sm btn-danger-ghost"
                aria-label={`Delete ${c.name} for good`}
                onClick={async () => {
                  if (!window.confirm(`Delete ${c.name} for good? This cannot be undone.`)) return;
                  try {
                    await api.companies.purge(c.id);
                    await refresh();
                    notify(`Deleted ${c.name} for good`);
                  } catch (e) {
                    notify((e as Error).message, 'error');
                  }
                }}
              >
                Delete for good
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
