/**
 * The Sync screen: CRM accounts with what is pending, Preview (a dry run: what would be
 * sent) and Push with a progress bar and Cancel, the run's report person by person, and
 * the log of earlier runs.
 */
import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { CloudUpload, Eye, Plus, Trash2 } from 'lucide-react';
import { api, keys, type AccountStatus, type RunReport } from '../api';
import { formatDateTime } from '../lib/format';
import { useUndo } from '../lib/undo';
import { useBackendEvent } from '../lib/useEvent';
import { Progress } from '../components/Progress';
import { AddAccountDialog, PROVIDERS } from './AddAccountDialog';
import { RunReportView, summaryText } from './RunReportView';

type Live = { done: number; total: number; dryRun: boolean };

export function SyncView({ visible }: { visible: boolean }) {
  const status = useQuery({ queryKey: [...keys.sync, 'status'], queryFn: api.sync.status });
  const runs = useQuery({ queryKey: [...keys.sync, 'runs'], queryFn: () => api.sync.runs(null, 20) });
  const [adding, setAdding] = useState(false);
  const [live, setLive] = useState<Record<string, Live>>({});
  const [report, setReport] = useState<RunReport | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const queryClient = useQueryClient();
  const { notify } = useUndo();
  // Edits elsewhere change what is pending: look again each time the screen is shown.
  useEffect(() => {
    if (visible) void queryClient.invalidateQueries({ queryKey: keys.sync });
  }, [visible, queryClient]);

  useBackendEvent(
    api.sync.onEvent,
    ({ accountId, event }) => {
      if (event.kind === 'started') setLive((m) => ({ ...m, [accountId]: { ...(m[accountId] ?? { dryRun: false }), done: 0, total: event.total } }));
      if (event.kind === 'item') setLive((m) => ({ ...m, [accountId]: { ...(m[accountId] ?? { dryRun: false }), done: event.done, total: event.total } }));
    },
    [],
  );

  async function push(s: AccountStatus, dryRun: boolean) {
    const id = s.account.id;
    setLive((m) => ({ ...m, [id]: { done: 0, total: s.pending, dryRun } }));
    setErrors(({ [id]: _, ...rest }) => rest);
    try {
      const r = await api.sync.push(id, dryRun);
      setReport(r);
      notify(`${dryRun ? 'Preview of' : 'Pushed to'} ${s.account.displayName}: ${summaryText(r)}`);
    } catch (err) {
      setErrors((m) => ({ ...m, [id]: (err as Error).message }));
    } finally {
      setLive(({ [id]: _, ...rest }) => rest);
      await queryClient.invalidateQueries({ queryKey: keys.sync });
    }
  }

  async function remove(s: AccountStatus) {
    if (!window.confirm(`Remove the account “${s.account.displayName}”? Its links and token are removed; nothing is deleted on the CRM.`)) return;
    try {
      await api.sync.removeAccount(s.account.id);
      await queryClient.invalidateQueries({ queryKey: keys.sync });
    } catch (err) {
      notify((err as Error).message, 'error');
    }
  }

  async function openRun(id: string) {
    try {
      setReport(await api.sync.run(id));
    } catch (err) {
      notify((err as Error).message, 'error');
    }
  }

  const accounts = status.data ?? [];
  return (
    <div className="view">
      <div className="view-main sync-view">
        <div className="toolbar">
          <h1 className="view-title">Sync</h1>
          <span className="muted">Push your people to the CRMs your team uses. Nothing leaves this machine until you push.</span>
          <span className="spacer" />
          <button type="button" className="btn btn-primary" onClick={() => setAdding(true)}>
            <Plus size={15} aria-hidden /> Add account
          </button>
        </div>
        <div className="sync-body">
          {accounts.length === 0 && status.data && (
            <div className="empty">
              <CloudUpload size={40} aria-hidden className="empty-icon" />
              <h2>No CRM account yet</h2>
              <p className="muted">Add an Introzy, folk, Allo or Pipedrive account to push your people there.</p>
            </div>
          )}
          <ul className="account-list">
            {accounts.map((s) => {
              const l = live[s.account.id];
              const provider = PROVIDERS.find((p) => p.id === s.account.provider)?.label ?? s.account.provider;
              return (
                <li key={s.account.id} className="account-card" aria-label={`Account ${s.account.displayName}`}>
                  <div className="account-head">
                    <span className="badge">{provider}</span>
                    <strong>{s.account.displayName}</strong>
                    <span className="muted small">{s.account.baseUrl}</span>
                  </div>
                  <p className="account-counts" data-testid="account-counts">
                    {s.synced} synced · {s.pending} pending · {s.failed} failed
                    {s.lastRun && (
                      <span className="muted">
                        {' '}
                        · last {s.lastRun.dryRun ? 'preview' : 'push'} {formatDateTime(s.lastRun.startedAt)}: {summaryText(s.lastRun)}
                      </span>
                    )}
                  </p>
                  {errors[s.account.id] && (
                    <div className="form-error" role="alert">
                      {errors[s.account.id]}
                    </div>
                  )}
                  {l ? (
                    <Progress
                      label={l.dryRun ? 'Previewing' : 'Pushing'}
                      done={l.done}
                      total={l.total}
                      onCancel={() => void api.sync.cancel(s.account.id)}
                      cancelLabel="Cancel push"
                      testId="sync-progress"
                    />
                  ) : (
                    <div className="account-actions">
                      <button type="button" className="btn" onClick={() => void push(s, true)} aria-label={`Preview ${s.account.displayName}`}>
                        <Eye size={15} aria-hidden /> Preview
                      </button>
                      <button type="button" className="btn btn-primary" onClick={() => void push(s, false)} aria-label={`Push ${s.account.displayName}`}>
                        <CloudUpload size={15} aria-hidden /> Push
                      </button>
                      <span className="spacer" />
                      <button type="button" className="btn btn-danger-ghost btn-sm" onClick={() => void remove(s)} aria-label={`Remove ${s.account.displayName}`}>
                        <Trash2 size={14} aria-hidden /> Remove
                      </button>
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
          {report && <RunReportView report={report} account={accounts.find((a) => a.account.id === report.accountId)?.account.displayName ?? ''} />}
          {(runs.data?.length ?? 0) > 0 && (
            <section aria-labelledby="sync-log">
              <h2 id="sync-log">Log</h2>
              <table className="simple-table">
                <thead>
                  <tr>
                    <th scope="col">Started</th>
                    <th scope="col">Account</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Status</th>
                    <th scope="col">Result</th>
                    <th scope="col">
                      <span className="sr-only">Open</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {runs.data!.map((r) => (
                    <tr key={r.id}>
                      <td>{formatDateTime(r.startedAt)}</td>
                      <td>{accounts.find((a) => a.account.id === r.accountId)?.account.displayName ?? '—'}</td>
                      <td>{r.dryRun ? 'Preview' : 'Push'}</td>
                      <td title={r.error ?? undefined}>{r.status}{r.error ? `: ${r.error}` : ''}</td>
                      <td>{summaryText(r)}</td>
                      <td className="actions">
                        <button type="button" className="btn btn-ghost btn-sm" onClick={() => void openRun(r.id)} aria-label={`Open the run of ${formatDateTime(r.startedAt)}`}>
                          Details
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
        </div>
      </div>
      <AddAccountDialog open={adding} onClose={() => setAdding(false)} />
    </div>
  );
}
