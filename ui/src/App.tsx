/**
 * The window's shell: navigation, the current screen, the create dialog, the status bar
 * and the global keyboard shortcuts (Ctrl/Cmd+N, Ctrl/Cmd+F or /, Ctrl/Cmd+Z).
 */
import { useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useHotkeys } from 'react-hotkeys-hook';
import { ArrowDownUp, Building2, CloudUpload, ListChecks, SlidersHorizontal, Trash2, UserPlus, Users } from 'lucide-react';
import { api, keys } from './api';
import { Toast } from './components/Toast';
import { CompaniesView } from './companies/CompaniesView';
import { ReviewView } from './enrich/ReviewView';
import { SyncView } from './sync/SyncView';
import { ImportExportView } from './interchange/ImportExportView';
import { EnrichStatus } from './enrich/useEnrich';
import { FieldsView } from './fields/FieldsView';
import { CreatePersonDialog } from './people/CreatePersonDialog';
import { PeopleView } from './people/PeopleView';
import { TrashView } from './trash/TrashView';
import { useUndo } from './lib/undo';

type Screen = 'people' | 'companies' | 'review' | 'sync' | 'io' | 'fields' | 'trash';

const NAV: { id: Screen; label: string; icon: typeof Users }[] = [
  { id: 'people', label: 'People', icon: Users },
  { id: 'companies', label: 'Companies', icon: Building2 },
  { id: 'review', label: 'Review', icon: ListChecks },
  { id: 'sync', label: 'Sync', icon: CloudUpload },
  { id: 'io', label: 'Import / Export', icon: ArrowDownUp },
  { id: 'fields', label: 'Fields', icon: SlidersHorizontal },
  { id: 'trash', label: 'Trash', icon: Trash2 },
];

const SHORTCUTS: [string, string][] = [
  ['Ctrl N', 'New person'],
  ['/', 'Search'],
  ['↑ ↓', 'Move in the list'],
  ['Enter', 'Open'],
  ['Esc', 'Close'],
  ['Del', 'Move to trash'],
  ['Ctrl Z', 'Undo'],
];

export function App() {
  const [screen, setScreen] = useState<Screen>('people');
  const [openPersonId, setOpenPersonId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const { undoLast } = useUndo();
  const info = useQuery({ queryKey: keys.appInfo, queryFn: api.appInfo, staleTime: Infinity });
  const pending = useQuery({ queryKey: keys.suggestions(null), queryFn: () => api.enrich.suggestions(null) });
  const badge: Partial<Record<Screen, number>> = { review: pending.data?.length };

  useHotkeys('mod+n', () => setCreating(true), { enableOnFormTags: true, preventDefault: true });
  const focusSearch = () => {
    setScreen('people');
    // The search box exists once the People screen has rendered.
    requestAnimationFrame(() => {
      searchRef.current?.focus();
      searchRef.current?.select();
    });
  };
  useHotkeys('mod+f', focusSearch, { enableOnFormTags: true, preventDefault: true });
  useHotkeys('slash', focusSearch, { preventDefault: true, useKey: true });
  // In an input, Ctrl+Z stays the input's own text undo.
  useHotkeys('mod+z', () => void undoLast(), { preventDefault: true });

  return (
    <div className="app">
      <nav className="sidebar" aria-label="Sections">
        <div className="brand">
          <span className="brand-mark" aria-hidden>
            C
          </span>
          Carnet
          {info.data?.dev && <span className="badge">dev</span>}
        </div>
        <button type="button" className="btn btn-primary new-btn" onClick={() => setCreating(true)} title="New person (Ctrl+N)">
          <UserPlus size={15} aria-hidden /> New person
        </button>
        <ul>
          {NAV.map((n) => (
            <li key={n.id}>
              <button
                type="button"
                className={`nav-btn ${screen === n.id ? 'current' : ''}`}
                aria-current={screen === n.id ? 'page' : undefined}
                onClick={() => setScreen(n.id)}
              >
                <n.icon size={16} aria-hidden /> {n.label}
              </button>
              {badge[n.id] ? (
                <span className="nav-count" data-testid={`${n.id}-count`} title={`${badge[n.id]} to review`}>
                  {badge[n.id]}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
        <dl className="sidebar-foot muted" aria-label="Keyboard shortcuts">
          {SHORTCUTS.map(([k, what]) => (
            <div key={k}>
              <dt>
                <kbd>{k}</kbd>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
      </nav>
      <main className="content">
        {screen === 'people' && (
          <PeopleView
            openId={openPersonId}
            onOpenId={setOpenPersonId}
            onNew={() => setCreating(true)}
            searchRef={searchRef}
          />
        )}
        {screen === 'companies' && (
          <CompaniesView
            onOpenPerson={(id) => {
              setOpenPersonId(id);
              setScreen('people');
            }}
          />
        )}
        {screen === 'review' && (
          <ReviewView
            onOpenPerson={(id) => {
              setOpenPersonId(id);
              setScreen('people');
            }}
          />
        )}
        {/* Kept mounted while hidden: a push or an import keeps its progress bar and Cancel
            when the user looks at another screen meanwhile. */}
        <div className="keep-alive" hidden={screen !== 'sync'}>
          <SyncView visible={screen === 'sync'} />
        </div>
        <div className="keep-alive" hidden={screen !== 'io'}>
          <ImportExportView />
        </div>
        {screen === 'fields' && <FieldsView />}
        {screen === 'trash' && <TrashView />}
        <footer className="statusbar muted">
          <span title={info.data?.dbPath}>{info.data ? `Database: ${info.data.dbPath}` : ''}</span>
          <span className="spacer" />
          <EnrichStatus />
          <span>{info.data ? `Carnet ${info.data.version}` : ''}</span>
        </footer>
      </main>
      <CreatePersonDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(p) => {
          setCreating(false);
          setScreen('people');
          setOpenPersonId(p.id);
        }}
      />
      <Toast />
    </div>
  );
}
