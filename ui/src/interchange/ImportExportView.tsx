/**
 * The Import / Export screen. Import: choose a file (the backend's native dialog),
 * options, Preview (a dry run), Import with a progress bar and Cancel, then the report.
 * Export: a format, the save dialog, the count written.
 */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Download, FileUp } from 'lucide-react';
import { api, keys, type ExportOptions, type Format, type ImportReport, type OnDuplicate, type PickedFile } from '../api';
import { FormError } from '../components/Field';
import { Progress } from '../components/Progress';
import { useBackendEvent } from '../lib/useEvent';
import { ImportReportView } from './ImportReportView';

const FORMAT_LABEL: Record<Format, string> = { vcard: 'vCard', csv: 'CSV', json: 'JSON backup' };

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function ImportExportView() {
  return (
    <div className="view">
      <div className="view-main">
        <div className="toolbar">
          <h1 className="view-title">Import / Export</h1>
          <span className="muted">vCard 2.1, 3.0 and 4.0 (Apple, Google, Outlook, Android…), CSV and Carnet's JSON backup.</span>
        </div>
        <div className="io-body">
          <ImportCard />
          <ExportCard />
        </div>
      </div>
    </div>
  );
}

function ImportCard() {
  const [file, setFile] = useState<PickedFile | null>(null);
  const [format, setFormat] = useState<Format | 'auto'>('auto');
  const [onDuplicate, setOnDuplicate] = useState<OnDuplicate>('update');
  const [partial, setPartial] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [running, setRunning] = useState<{ dryRun: boolean; done: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const queryClient = useQueryClient();

  useBackendEvent(
    api.files.onImportProgress,
    (e) => setRunning((r) => (r && file && e.handle === file.handle ? { ...r, done: e.done, total: e.total } : r)),
    [file?.handle],
  );

  async function pick() {
    setError(null);
    try {
      const f = await api.files.pickImport();
      if (f) {
        setFile(f);
        setFormat('auto');
        setReport(null);
      }
    } catch (err) {
      setError((err as Error).message);
    }
  }

  async function run(dryRun: boolean) {
    if (!file) return;
    setError(null);
    setRunning({ dryRun, done: 0, total: 0 });
    try {
      const r = await api.files.import(file.handle, {
        format: format === 'auto' ? null : format,
        dryRun,
        partial,
        onDuplicate,
        mapping: {},
      });
      setReport(r);
      if (r.committed) {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: keys.people }),
          queryClient.invalidateQueries({ queryKey: ['person'] }),
          queryClient.invalidateQueries({ queryKey: keys.companies }),
          queryClient.invalidateQueries({ queryKey: keys.allFields }),
        ]);
      }
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setRunning(null);
    }
  }

  return (
    <section className="io-card" aria-labelledby="import-title">
      <h2 id="import-title">
        <FileUp size={16} aria-hidden /> Import
      </h2>
      <div className="io-row">
        <button type="button" className="btn" onClick={() => void pick()} disabled={running != null}>
          Choose file…
        </button>
        {file ? (
          <span data-testid="picked-file">
            <strong>{file.fileName}</strong>{' '}
            <span className="muted">
              {size(file.sizeBytes ?? 0)}
              {file.format ? ` · ${FORMAT_LABEL[file.format]}` : ' · format not recognised: choose one'}
            </span>
          </span>
        ) : (
          <span className="muted">No file chosen.</span>
        )}
      </div>
      <FormError message={error} />
      {file && (
        <>
          <div className="io-options">
            <div className="field">
              <label htmlFor="import-format">Format</label>
              <select id="import-format" className="input" disabled={running != null} value={format} onChange={(e) => setFormat(e.target.value as Format | 'auto')}>
                <option value="auto">Detect{file.format ? ` (${FORMAT_LABEL[file.format]})` : ''}</option>
                <option value="vcard">vCard</option>
                <option value="csv">CSV</option>
                <option value="json">JSON backup</option>
              </select>
            </div>
            <div className="field field-wide">
              <label htmlFor="import-dup">When a person is already here</label>
              <select id="import-dup" className="input" disabled={running != null} value={onDuplicate} onChange={(e) => setOnDuplicate(e.target.value as OnDuplicate)}>
                <option value="update">Update them (matched by UID, email, then phone)</option>
                <option value="skip">Leave them as they are</option>
                <option value="create">Create a new person anyway</option>
              </select>
            </div>
            <label className="check">
              <input type="checkbox" disabled={running != null} checked={partial} onChange={(e) => setPartial(e.target.checked)} />
              Keep the valid records when some are invalid
            </label>
          </div>
          {running ? (
            <Progress
              label={running.dryRun ? 'Previewing' : running.total > 0 && running.done >= running.total ? 'Building the indexes' : 'Importing'}
              done={running.done}
              total={running.total}
              onCancel={() => void api.files.cancelImport(file.handle)}
              cancelLabel="Cancel import"
              testId="import-progress"
            />
          ) : (
            <div className="io-row">
              <button type="button" className="btn" onClick={() => void run(true)}>
                Preview
              </button>
              <button type="button" className="btn btn-primary" onClick={() => void run(false)}>
                Import
              </button>
            </div>
          )}
        </>
      )}
      {report && <ImportReportView report={report} />}
    </section>
  );
}

const EXPORTS: { id: string; label: string; options: ExportOptions }[] = [
  { id: 'vcard4', label: 'vCard 4.0', options: { format: 'vcard', vcardVersion: 4, includeTrash: false } },
  { id: 'vcard3', label: 'vCard 3.0 (older phones and apps)', options: { format: 'vcard', vcardVersion: 3, includeTrash: false } },
  { id: 'csv', label: 'CSV (spreadsheets)', options: { format: 'csv', vcardVersion: 4, includeTrash: false } },
  { id: 'json', label: 'JSON backup (everything: notes, custom fields, trash)', options: { format: 'json', vcardVersion: 4, includeTrash: true } },
];

function ExportCard() {
  const [choice, setChoice] = useState('vcard4');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function run() {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const r = await api.files.export(EXPORTS.find((e) => e.id === choice)!.options);
      if (r) setDone(`Exported ${r.count.toLocaleString()} ${r.count === 1 ? 'person' : 'people'} to ${r.fileName}.`);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="io-card" aria-labelledby="export-title">
      <h2 id="export-title">
        <Download size={16} aria-hidden /> Export
      </h2>
      <div className="io-options">
        <div className="field">
          <label htmlFor="export-format">Export format</label>
          <select id="export-format" className="input" value={choice} onChange={(e) => setChoice(e.target.value)}>
            {EXPORTS.map((e) => (
              <option key={e.id} value={e.id}>
                {e.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="io-row">
        <button type="button" className="btn btn-primary" onClick={() => void run()} disabled={busy}>
          {busy ? 'Exporting…' : 'Export…'}
        </button>
        {done && (
          <span role="status" data-testid="export-result">
            {done}
          </span>
        )}
      </div>
      <FormError message={error} />
    </section>
  );
}
