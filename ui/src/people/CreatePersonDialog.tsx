/** The "New person" form (Ctrl/Cmd+N). On success the new person opens in the panel. */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, keys, type Person } from '../api';
import { Dialog } from '../components/Dialog';
import { FormError } from '../components/Field';
import { noErrors, toFieldErrors, type FieldErrors } from '../lib/errors';
import { useUndo } from '../lib/undo';
import { createBody, displayPath, emptyDraft, isPersonPath } from './draft';
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
  const queryClient = useQueryClient();
  const { push } = useUndo();

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
      const fe = toFieldErrors(err, isPersonPath);
      setErrors({ ...fe, byPath: Object.fromEntries(Object.entries(fe.byPath).map(([k, v]) => [displayPath(k), v])) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="dialog-body" onSubmit={submit} noValidate aria-label="New person">
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
