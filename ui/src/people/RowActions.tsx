/** The buttons at the end of a people row (keyboard users have Enter and Delete). */
import { PanelRightOpen, Trash2 } from 'lucide-react';
import type { Person } from '../api';

type Props = { person: Person; onOpen: (p: Person) => void; onTrash: (p: Person) => void };

export function RowActions({ person, onOpen, onTrash }: Props) {
  return (
    <span className="row-actions">
      <button
        type="button"
        className="icon-btn"
        tabIndex={-1}
        aria-label={`Open ${person.fullName}`}
        title="Open (Enter)"
        onClick={(e) => {
          e.stopPropagation();
          onOpen(person);
        }}
      >
        <PanelRightOpen size={15} aria-hidden />
      </button>
      <button
        type="button"
        className="icon-btn"
        tabIndex={-1}
        aria-label={`Move ${person.fullName} to trash`}
        title="Move to trash (Delete)"
        onClick={(e) => {
          e.stopPropagation();
          onTrash(person);
        }}
      >
        <Trash2 size={15} aria-hidden />
      </button>
    </span>
  );
}
