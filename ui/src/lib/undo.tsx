/**
 * Undo of the last edit or trash (Ctrl/Cmd+Z), and the status toast that offers it.
 *
 * A write that can be undone registers the inverse call here; undo runs it once. Only
 * the most recent few actions are kept: this is a safety net, not a history.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';

type UndoEntry = { label: string; run: () => Promise<unknown> };
type Toast = { id: number; message: string; canUndo: boolean; tone: 'info' | 'error' };

type UndoApi = {
  /** Remember how to undo an action and announce it. */
  push: (message: string, undo: () => Promise<unknown>) => void;
  /** Announce something without an undo. */
  notify: (message: string, tone?: 'info' | 'error') => void;
  undoLast: () => Promise<void>;
  toast: Toast | null;
  dismiss: () => void;
};

const Ctx = createContext<UndoApi | null>(null);
const KEEP = 20;

export function UndoProvider({ children }: { children: ReactNode }) {
  const stack = useRef<UndoEntry[]>([]);
  const seq = useRef(0);
  const [toast, setToast] = useState<Toast | null>(null);
  const queryClient = useQueryClient();

  const show = useCallback((message: string, canUndo: boolean, tone: 'info' | 'error' = 'info') => {
    const id = ++seq.current;
    setToast({ id, message, canUndo, tone });
    window.setTimeout(() => setToast((t) => (t?.id === id ? null : t)), 8000);
  }, []);

  const push = useCallback(
    (message: string, undo: () => Promise<unknown>) => {
      stack.current = [...stack.current.slice(-(KEEP - 1)), { label: message, run: undo }];
      show(message, true);
    },
    [show],
  );

  const notify = useCallback((message: string, tone: 'info' | 'error' = 'info') => show(message, false, tone), [show]);

  const undoLast = useCallback(async () => {
    const entry = stack.current.pop();
    if (!entry) {
      show('Nothing to undo', false);
      return;
    }
    try {
      await entry.run();
      await queryClient.invalidateQueries();
      show(`Undone: ${entry.label}`, false);
    } catch (e) {
      show(`Could not undo: ${(e as Error).message}`, false, 'error');
    }
  }, [queryClient, show]);

  const value = useMemo<UndoApi>(
    () => ({ push, notify, undoLast, toast, dismiss: () => setToast(null) }),
    [push, notify, undoLast, toast],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useUndo(): UndoApi {
  const v = useContext(Ctx);
  if (!v) throw new Error('useUndo outside UndoProvider');
  return v;
}
