/**
 * Pending suggestions (enriched values that conflict with what the user typed): current
 * and proposed value, source and confidence; accept or reject one by one or all at once.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Check, X } from 'lucide-react';
import { api, keys, type Suggestion } from '../api';
import { useUndo } from '../lib/undo';
import { fieldLabel, percent, sourceLabel, valueText } from './format';

export function useSuggestionActions(personId: string) {
  const queryClient = useQueryClient();
  const { notify } = useUndo();
  const refresh = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: keys.allSuggestions }),
      queryClient.invalidateQueries({ queryKey: keys.person(personId) }),
      queryClient.invalidateQueries({ queryKey: keys.provenance(personId) }),
      queryClient.invalidateQueries({ queryKey: keys.history(personId) }),
      queryClient.invalidateQueries({ queryKey: keys.people }),
    ]);
  };
  const run = (f: () => Promise<unknown>) => async () => {
    try {
      await f();
    } catch (err) {
      notify((err as Error).message, 'error');
    }
    await refresh();
  };
  return {
    accept: (id: string) => run(() => api.enrich.accept(id))(),
    reject: (id: string) => run(() => api.enrich.reject(id))(),
    acceptAll: run(() => api.enrich.acceptAll(personId)),
    rejectAll: run(() => api.enrich.rejectAll(personId)),
  };
}

export function SuggestionList({ personId, suggestions }: { personId: string; suggestions: Suggestion[] }) {
  const act = useSuggestionActions(personId);
  if (suggestions.length === 0) return null;
  return (
    <div className="suggestions">
      <ul className="suggestion-list">
        {suggestions.map((s) => {
          const what = `${fieldLabel(s.field)}: ${valueText(s.proposedValue)}`;
          return (
            <li key={s.id} className="suggestion" data-testid="suggestion">
              <div className="suggestion-text">
                <span className="suggestion-field">{fieldLabel(s.field)}</span>
                <span>
                  <span className="muted strike" title="Current value">
                    {valueText(s.currentValue)}
                  </span>{' '}
                  → <strong title="Suggested value">{valueText(s.proposedValue)}</strong>
                </span>
                <span className="muted small">
                  {sourceLabel(s.source)} · {percent(s.confidence)} sure
                </span>
              </div>
              <div className="suggestion-actions">
                <button type="button" className="btn btn-sm" onClick={() => void act.accept(s.id)} aria-label={`Accept ${what}`}>
                  <Check size={14} aria-hidden /> Accept
                </button>
                <button type="button" className="btn btn-ghost btn-sm" onClick={() => void act.reject(s.id)} aria-label={`Reject ${what}`}>
                  <X size={14} aria-hidden /> Reject
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      {suggestions.length > 1 && (
        <div className="suggestion-all">
          <button type="button" className="btn btn-sm" onClick={() => void act.acceptAll()}>
            Accept all
          </button>
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => void act.rejectAll()}>
            Reject all
          </button>
        </div>
      )}
    </div>
  );
}
