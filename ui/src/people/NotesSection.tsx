/** Notes on a person: newest first (as core returns them), add, edit in place, delete. */
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Pencil, Trash2 } from 'lucide-react';
import { api, keys, type Note } from '../api';
import { FormError, TextAreaField } from '../components/Field';
import { formatDateTime } from '../lib/format';
import { useUndo } from '../lib/undo';

export function NotesSection({ personId }: { personId: string }) {
  const notes = useQuery({ queryKey: keys.notes(personId), queryFn: () => api.notes.list(personId) });
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.notes(personId) });

  async function add(e: React.FormEvent) {
    e.preventDefault();
    try {
      await api.notes.create(personId, body);
      setBody('');
      setError(null);
      await refresh();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <section className="notes" aria-labelledby="notes-title">
      <h3 id="notes-title">Notes</h3>
      <form onSubmit={add} className="note-new" aria-label="New note">
        <TextAreaField
          label="New note"
          rows={2}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          error={error}
          placeholder="Met at the conference, follow up in May…"
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void add(e);
          }}
        />
        <button type="submit" className="btn btn-sm" disabled={!body.trim()}>
          Add note
        </button>
      </form>
      {notes.data?.length === 0 && <p className="muted">No notes yet.</p>}
      <ul className="note-list">
        {notes.data?.map((n) => <NoteItem key={n.id} note={n} onChanged={refresh} />)}
      </ul>
    </section>
  );
}

function NoteItem({ note, onChanged }: { note: Note; onChanged: () => Promise<unknown> }) {
  const [editing, setEditing] = useState(false);
  const [body, setBody] = useState(note.body);
  const [error, setError] = useState<string | null>(null);
  const { push, notify } = useUndo();

  async function save(e: React.FormEvent) {
    e.preventDefault();
    try {
      await api.notes.update(note.id, body);
      setEditing(false);
      setError(null);
      await onChanged();
      push('Note saved', () => api.notes.update(note.id, note.body));
    } catch (err) {
      setError((err as Error).message);
    }
  }

  async function remove() {
    try {
      await api.notes.delete(note.id);
      await onChanged();
      push('Note deleted', () => api.notes.create(note.personId, note.body));
    } catch (err) {
      notify((err as Error).message, 'error');
    }
  }

  if (editing) {
    return (
      <li className="note">
        <form onSubmit={save} aria-label="Edit note">
          <TextAreaField label="Edit note" rows={3} value={body} onChange={(e) => setBody(e.target.value)} error={error} autoFocus />
          <FormError message={null} />
          <div className="row-gap">
            <button type="button" className="btn btn-sm" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <button type="submit" className="btn btn-sm btn-primary">
              Save note
            </button>
          </div>
        </form>
      </li>
    );
  }
  return (
    <li className="note">
      <p className="note-body">{note.body}</p>
      <div className="note-meta">
        <time dateTime={note.createdAt}>{formatDateTime(note.createdAt)}</time>
        {note.updatedAt !== note.createdAt && <span className="muted"> · edited</span>}
        <span className="spacer" />
        <button type="button" className="icon-btn" aria-label="Edit note" onClick={() => setEditing(true)}>
          <Pencil size={14} aria-hidden />
        </button>
        <button type="button" className="icon-btn" aria-label="Delete note" onClick={() => void remove()}>
          <Trash2 size={14} aria-hidden />
        </button>
      </div>
    </li>
  );
}
