/**
 * The "New person" form (Ctrl/Cmd+N). On success the new person opens in the panel. When
 * the email belongs to someone already here, the form offers to open that person or to
 * merge what was typed into them (see merge.ts) instead of a dead end.
 */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError, keys, type Person } from '../api';
import { mergePatch } from './merge';
import { Dialog } from '../components/Dialog';
import { FormError } from '../components/Field';
import { noErrors, toFieldErrors, type FieldErrors } from '../lib/errors';
import { useUndo } from '../lib/undo';
import { createBody, displayPath, emptyDraft, inversePatch, isPersonPath } from './draft';
import { PersonForm } from './PersonForm';

type Props = { open: boolean; onClose: () => void; onCreated: (p: Person) => void };

export function CreatePersonDialog({ open, onClose, onCreated }: Props) {
  return (
    <Dialog open={open} title="New person" onClose={onClose} wide>
      {open && <CreateForm onClose={onClose} onCreated={onCreated} />}
    </Dialog>
  );
}

function CreateForm({ onClose, onCreated }: Omit<Props, 'open'>) {
  const [draft, setDraft] = useState(emptyDraft);
  const [errors, setErrors] = useState<FieldErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [existing, setExisting] = useState<{ id: string; message: string } | null>(null);
  const queryClient = useQueryClient();
  const { push, notify } = useUndo();

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      const person = await api.people.create(createBody(draft));
      setErrors(noErrors);
      await queryClient.invalidateQueries({ queryKey: keys.people });
      await queryClient.invalidateQueries({ queryKey: keys.companies });
      const warn = person.warnings?.length ? ` (${person.warnings.map((w) => w.message).join('; ')})` : '';
      push(`Created ${person.fullName}${warn}`, () => api.people.trash(person.id));
      onCreated(person);
    } catch (err) {
      setExisting(err instanceof ApiError && err.code === 'conflict' && err.existingId ? { id: err.existingId, message: err.message } : null);
      const fe = toFieldErrors(err, isPersonPath);
      setErrors({ ...fe, byPath: Object.fromEntries(Object.entries(fe.byPath).map(([k, v]) => [displayPath(k), v])) });
    } finally {
      setBusy(false);
    }
  }

  async function openExisting() {
    if (!existing) return;
    try {
      onCreated(await api.people.get(existing.id));
    } catch (err) {
      notify((err as Error).message, 'error');
    }
  }

  async function mergeIntoExisting() {
    if (!existing) return;
    setBusy(true);
    try {
      const before = await api.people.get(existing.id);
      const patch = mergePatch(before, createBody(draft));
      const after = Object.keys(patch).length ? await api.people.update(before.id, patch) : before;
      await queryClient.invalidateQueries({ queryKey: keys.people });
      await queryClient.invalidateQueries({ queryKey: keys.person(before.id) });
      await queryClient.invalidateQueries({ queryKey: keys.companies });
      const changed = Object.keys(patch);
      push(
        changed.length ? `Merged into ${after.fullName} (${changed.join(', ')})` : `${after.fullName} already had all of it`,
        () => api.people.update(before.id, inversePatch(before, patch)),
      );
      onCreated(after);
    } catch (err) {
      const fe = toFieldErrors(err, isPersonPath);
      setErrors({ ...fe, byPath: Object.fromEntries(Object.entries(fe.byPath).map(([k, v]) => [displayPath(k), v])) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="dialog-body" onSubmit={submit} noValidate aria-label="New person">
      {existing && (
        <div className="conflict-box" role="alert">
          <span>{existing.message}</span>
          <span className="conflict-actions">
            <button type="button" className="btn btn-sm" onClick={() => void openExisting()}>
              Open existing
            </button>
            <button type="button" className="btn btn-sm btn-primary" disabled={busy} onClick={() => void mergeIntoExisting()}>
              Merge into existing
            </button>
          </span>
        </div>
      )}
      <FormError message={errors.general} />
      <PersonForm
        draft={draft}
        onChange={setDraft}
        errorAt={(p) => errors.byPath[p] ?? null}
        idPrefix="create"
        autoFocus
      />
      <footer className="dialog-footer">
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Create person
        </button>
      </footer>
    </form>
  );
}
