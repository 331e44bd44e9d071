import { X } from 'lucide-react';
import { useUndo } from '../lib/undo';

/** The status line at the bottom: last action, with Undo when it can be undone. */
export function Toast() {
  const { toast, undoLast, dismiss } = useUndo();
  return (
    <div className="toast-region" role="status" aria-live="polite">
      {toast && (
        <div className={`toast toast-${toast.tone}`} data-testid="toast">
          <span>{toast.message}</span>
          {toast.canUndo && (
            <button type="button" className="btn btn-link" onClick={() => void undoLast()}>
              Undo <kbd>Ctrl Z</kbd>
            </button>
          )}
          <button type="button" className="icon-btn" aria-label="Dismiss" onClick={dismiss}>
            <X size={14} aria-hidden />
          </button>
        </div>
      )}
    </div>
  );
}
