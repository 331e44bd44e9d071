/**
 * The person panel: every field editable in place, saved as a PATCH of the changed keys
 * (Ctrl/Cmd+S or "Save"), backend errors shown beside their inputs, notes below.
 * Esc closes; Delete (outside an input) moves the person to the trash.
 */
import { useEffect, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useHotkeys } from 'react-hotkeys-hook';
import { RotateCcw, Trash2, X } from 'lucide-react';
import { api, keys, type Person } from '../api';
import { Avatar } from '../components/Avatar';
import { FormError } from '../components/Field';
import { formatDateTime } from '../lib/format';
import { noErrors, toFieldErrors, type FieldErrors } from '../lib/errors';
import { useUndo } from '../lib/undo';
import { diffPatch, displayPath, draftOf, inversePatch, isPersonPath, type Draft } from './draft';
import { NotesSection } from './NotesSection';
import { EnrichSection } from '../enrich/EnrichSection';
import { PersonForm } from './PersonForm';

type Props = { id: string; onClose: () => void; onTrashed: (p: Person) => void };

export function PersonPanel({ id, onClose, onTrashed }: Props) {
  const person = useQuery({ queryKey: keys.person(id), queryFn: () => api.people.get(id) });
  return (
    <aside className="panel" aria-label="Person details">
      {person.isPending && <div className="panel-empty">Loading…</div>}
      {person.isError && (
        <div className="panel-empty">
          <FormError message={(person.error as Error).message} />
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
        </div>
      )}
      {person.data && <Loaded key={person.data.id} person={person.data} onClose={onClose} onTrashed={onTrashed} />}
    </aside>
  );
}

function Loaded({ person, onClose, onTrashed }: { person: Person; onClose: () => void; onTrashed: (p: Person) => void }) {
  const saved = useMemo(() => draftOf(person), [person]);
  const [draft, setDraft] = useState<Draft>(saved);
  const [errors, setErrors] = useState<FieldErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const queryClient = useQueryClient();
  const { push, notify } = useUndo();
  const patch = useMemo(() => diffPatch(saved, draft), [saved, draft]);
  const dirty = Object.keys(patch).length > 0;
  const trashed = person.deletedAt != null;

  // A refetch after a save (or an undo) brings a new `person`: show it.
  useEffect(() => setDraft(saved), [saved]);

  async function refresh() {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: keys.people }),
      queryClient.invalidateQueries({ queryKey: keys.person(person.id) }),
      queryClient.invalidateQueries({ queryKey: keys.companies }),
    ]);
  }

  async function save(e?: React.FormEvent) {
    e?.preventDefault();
    if (!dirty || busy) return;
    setBusy(true);
    const before = person;
    const sent = patch;
    try {
      const after = await api.people.update(person.id, sent);
      setErrors(noErrors);
      queryClient.setQueryData(keys.person(person.id), after);
      await refresh();
      const warn = after.warnings?.length ? ` (${after.warnings.map((w) => w.message).join('; ')})` : '';
      push(`Saved ${after.fullName}${warn}`, () => api.people.update(before.id, inversePatch(before, sent)));
    } catch (err) {
      const fe = toFieldErrors(err, isPersonPath);
      setErrors({ ...fe, byPath: Object.fromEntries(Object.entries(fe.byPath).map(([k, v]) => [displayPath(k), v])) });
    } finally {
      setBusy(false);
    }
  }

  async function trash() {
    try {
      const p = await api.people.trash(person.id);
      await refresh();
      push(`Moved ${p.fullName} to trash`, () => api.people.restore(p.id));
      onTrashed(p);
    } catch (err) {
      notify((err as Error).message, 'error');
    }
  }

  async function restore() {
    try {
      const p = await api.people.restore(person.id);
      await refresh();
      push(`Restored ${p.fullName}`, () => api.people.trash(p.id));
    } catch (err) {
      notify((err as Error).message, 'error');
    }
  }

  useHotkeys('mod+s', () => void save(), { enableOnFormTags: true, preventDefault: true }, [save]);
  // Delete trashes only while focus is in the panel (outside inputs); the table has its own.
  const panelRef = useHotkeys<HTMLDivElement>('delete', () => void (trashed ? undefined : trash()), { preventDefault: true }, [
    trash,
    trashed,
  ]);

  const subtitle = [person.jobTitle, person.company].filter(Boolean).join(' · ');
  return (
    <>
      <header className="panel-header">
        <Avatar id={person.id} name={person.fullName} size="lg" />
        <div className="panel-title">
          <h2>{person.fullName}</h2>
          {subtitle && <p className="muted">{subtitle}</p>}
          {trashed && <p className="badge badge-warn">In trash since {formatDateTime(person.deletedAt)}</p>}
        </div>
        <div className="panel-actions">
          {trashed ? (
            <button type="button" className="btn" onClick={() => void restore()}>
              <RotateCcw size={14} aria-hidden /> Restore
            </button>
          ) : (
            <button type="button" className="btn btn-danger-ghost" onClick={() => void trash()} title="Move to trash (Delete)">
              <Trash2 size={14} aria-hidden /> Move to trash
            </button>
          )}
          <button type="button" className="icon-btn" aria-label="Close panel" title="Close (Esc)" onClick={onClose}>
            <X size={16} aria-hidden />
          </button>
        </div>
      </header>
      <div className="panel-body" ref={panelRef} tabIndex={-1}>
        <form onSubmit={save} noValidate aria-label="Edit person">
          <FormError message={errors.general} />
          <PersonForm draft={draft} onChange={setDraft} errorAt={(p) => errors.byPath[p] ?? null} idPrefix={`p-${person.id}`} />
          <div className={`save-bar ${dirty ? 'save-bar-visible' : ''}`}>
            <span className="muted">{dirty ? 'Unsaved changes' : 'All changes saved'}</span>
            <button
              type="button"
              className="btn"
              disabled={!dirty}
              onClick={() => {
                setDraft(saved);
                setErrors(noErrors);
              }}
            >
              Discard
            </button>
            <button type="submit" className="btn btn-primary" disabled={!dirty || busy}>
              Save changes
            </button>
          </div>
        </form>
        <EnrichSection personId={person.id} trashed={trashed} />
        <NotesSection personId={person.id} />
        <p className="meta muted">
          Created {formatDateTime(person.createdAt)} · Updated {formatDateTime(person.updatedAt)}
        </p>
      </div>
    </>
  );
}
