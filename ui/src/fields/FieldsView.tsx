/**
 * The Fields screen: the custom-field schema of people or companies, grouped by group.
 * Add a field; rename its label, change its group, options or "required"; delete it.
 *
 * A change that can lose values is planned first (`plan*`): the report's counts are shown
 * and the change is applied, with `force`, only once confirmed. Backend errors appear
 * beside the input their `field` names.
 */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Pencil, SlidersHorizontal, Trash2 } from 'lucide-react';
import { api, keys, type FieldChangeReport, type FieldChanges, type FieldDef, type FieldEntity } from '../api';
import { FormError } from '../components/Field';
import { noErrors, toFieldErrors, type FieldErrors } from '../lib/errors';
import { useUndo } from '../lib/undo';
import { groupFields, useFieldDefs } from './CustomFieldInputs';
import { isSelect, Labelled, NewFieldForm, parseOptions, TYPE_LABELS } from './NewFieldForm';

const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

export function FieldsView() {
  const [entity, setEntity] = useState<FieldEntity>('person');
  const defs = useFieldDefs(entity);
  const fields = defs.data ?? [];
  const groups = [...new Set(fields.map((f) => f.group?.trim()).filter((g): g is string => Boolean(g)))];
  const noun = entity === 'person' ? 'people' : 'companies';
  return (
    <div className="view fields-view">
      <div className="view-main scroll">
        <header className="view-title fields-header">
          <h1>Custom fields</h1>
          <div className="tabs" role="tablist" aria-label="Fields of">
            {(['person', 'company'] as const).map((e) => (
              <button
                key={e}
                type="button"
                role="tab"
                aria-selected={entity === e}
                className={`tab ${entity === e ? 'current' : ''}`}
                onClick={() => setEntity(e)}
              >
                {e === 'person' ? 'People' : 'Companies'}
              </button>
            ))}
          </div>
        </header>
        <p className="muted fields-intro">
          Fields every one of your {noun} can have, shown in their groups on the {entity === 'person' ? 'person panel' : 'company page'}.
          A field's key never changes, so renaming keeps every value.
        </p>
        <NewFieldForm entity={entity} groups={groups} />
        {defs.isError && <FormError message={(defs.error as Error).message} />}
        {defs.isSuccess && fields.length === 0 && (
          <div className="empty">
            <SlidersHorizontal size={36} aria-hidden className="empty-icon" />
            <h2>No custom fields yet</h2>
            <p className="muted">Add one above: a plan, a renewal date, an account owner…</p>
          </div>
        )}
        {groupFields(fields).map(([group, list]) => (
          <section key={group ?? ''} className="field-group" aria-label={group ?? 'No group'}>
            <h2>{group ?? 'No group'}</h2>
            <ul className="field-list">
              {list.map((f) => (
                <FieldRow key={f.key} def={f} groups={groups} />
              ))}
            </ul>
          </section>
        ))}
      </div>
    </div>
  );
}

type Mode = { kind: 'view' } | { kind: 'edit' } | { kind: 'confirm-delete'; report: FieldChangeReport };

function FieldRow({ def, groups }: { def: FieldDef; groups: string[] }) {
  const [mode, setMode] = useState<Mode>({ kind: 'view' });
  const [error, setError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const { notify } = useUndo();
  const noun = def.entity === 'person' ? 'people' : 'companies';

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: keys.allFields }),
      queryClient.invalidateQueries({ queryKey: def.entity === 'person' ? keys.people : keys.companies }),
      queryClient.invalidateQueries({ queryKey: def.entity === 'person' ? ['person'] : ['company'] }),
    ]);

  async function askDelete() {
    setError(null);
    try {
      setMode({ kind: 'confirm-delete', report: await api.fields.planDelete(def.key) });
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function doDelete() {
    try {
      const r = await api.fields.delete(def.key, true);
      await refresh();
      notify(`Deleted “${def.label}” and ${plural(r.valuesRemoved, 'value', 'values')}`);
    } catch (e) {
      setError((e as Error).message);
      setMode({ kind: 'view' });
    }
  }

  if (mode.kind === 'edit') {
    return (
      <li className="field-item editing">
        <EditField
          def={def}
          groups={groups}
          onDone={async (msg) => {
            setMode({ kind: 'view' });
            if (msg) {
              await refresh();
              notify(msg);
            }
          }}
        />
      </li>
    );
  }
  return (
    <li className="field-item" data-field-key={def.key}>
      <div className="field-item-main">
        <span className="field-item-label">{def.label}</span>
        {def.required && <span className="badge">required</span>}
        <span className="muted">{TYPE_LABELS[def.type]}</span>
        {isSelect(def.type) && def.options.length > 0 && (
          <span className="tags truncate">
            {def.options.map((o) => (
              <span key={o.label} className="tag">
                {o.label}
              </span>
            ))}
          </span>
        )}
        <span className="spacer" />
        <code className="muted field-key">{def.key}</code>
        <button type="button" className="icon-btn" aria-label={`Edit ${def.label}`} title="Edit" onClick={() => setMode({ kind: 'edit' })}>
          <Pencil size={14} aria-hidden />
        </button>
        <button type="button" className="icon-btn" aria-label={`Delete ${def.label}`} title="Delete" onClick={() => void askDelete()}>
          <Trash2 size={14} aria-hidden />
        </button>
      </div>
      <FormError message={error} />
      {mode.kind === 'confirm-delete' && (
        <div className="confirm" role="alertdialog" aria-label={`Delete ${def.label}?`}>
          <p>
            Delete “{def.label}”?{' '}
            {mode.report.values > 0
              ? `Its value on ${plural(mode.report.values, def.entity, noun)} will be removed too.`
              : `No ${def.entity === 'person' ? 'person' : 'company'} has a value for it.`}
          </p>
          <button type="button" className="btn" onClick={() => setMode({ kind: 'view' })}>
            Cancel
          </button>
          <button type="button" className="btn btn-danger" onClick={() => void doDelete()}>
            Delete field
            {mode.report.values > 0 ? ` and ${plural(mode.report.values, 'value', 'values')}` : ''}
          </button>
        </div>
      )}
    </li>
  );
}

/** Options whose label changed in place become renames, so values follow them. */
function optionChanges(before: string[], after: string[]): Pick<FieldChanges, 'options' | 'renameOptions'> {
  const renameOptions =
    before.length === after.length
      ? before.flatMap((b, i) => (b !== after[i] && !before.includes(after[i]) ? [{ from: b, to: after[i] }] : []))
      : [];
  return { options: after.map((label) => ({ label })), renameOptions };
}

function EditField({ def, groups, onDone }: { def: FieldDef; groups: string[]; onDone: (msg: string | null) => void }) {
  const [label, setLabel] = useState(def.label);
  const [group, setGroup] = useState(def.group ?? '');
  const [required, setRequired] = useState(def.required);
  const [options, setOptions] = useState(def.options.map((o) => o.label).join('\n'));
  const [errors, setErrors] = useState<FieldErrors>(noErrors);
  const [pending, setPending] = useState<{ changes: FieldChanges; report: FieldChangeReport } | null>(null);
  const id = `ef-${def.key}`;
  const err = (p: string) => errors.byPath[p] ?? null;

  function changes(): FieldChanges {
    const c: FieldChanges = {};
    if (label.trim() !== def.label) c.label = label;
    if ((group.trim() || null) !== (def.group ?? null)) c.group = group.trim() || null;
    if (required !== def.required) c.required = required;
    if (isSelect(def.type)) {
      const before = def.options.map((o) => o.label);
      const after = parseOptions(options).map((o) => o.label);
      if (before.join('\n') !== after.join('\n')) Object.assign(c, optionChanges(before, after));
    }
    return c;
  }

  async function apply(c: FieldChanges, force: boolean) {
    const r = await api.fields.update(def.key, c, force);
    const parts = [`Saved “${r.field.label}”`];
    if (r.valuesChanged) parts.push(`${plural(r.valuesChanged, 'value', 'values')} updated`);
    if (r.valuesRemoved) parts.push(`${plural(r.valuesRemoved, 'value', 'values')} removed`);
    if (r.missingRequired) parts.push(`${plural(r.missingRequired, 'record lacks', 'records lack')} a value`);
    onDone(parts.join(', '));
  }

  async function save(e: React.FormEvent) {
    e.preventDefault();
    const c = changes();
    if (Object.keys(c).length === 0) return onDone(null);
    try {
      // Plan first: a change that would remove values asks before it is applied.
      const report = await api.fields.planUpdate(def.key, c);
      if (report.valuesRemoved > 0) return setPending({ changes: c, report });
      await apply(c, false);
    } catch (err) {
      setErrors(toFieldErrors(err, (p) => ['label', 'group', 'options', 'required', 'type'].includes(p) || p.startsWith('options')));
    }
  }

  const optErr = Object.entries(errors.byPath).find(([p]) => p.startsWith('options'))?.[1] ?? null;
  return (
    <form onSubmit={save} noValidate aria-label={`Edit ${def.label}`}>
      <FormError message={errors.general} />
      <div className="form-grid">
        <Labelled id={`${id}-label`} label="Field label" error={err('label')}>
          <input id={`${id}-label`} className="input" value={label} onChange={(e) => setLabel(e.target.value)} autoFocus />
        </Labelled>
        <Labelled id={`${id}-group`} label="Group" error={err('group')}>
          <input id={`${id}-group`} className="input" list={`${id}-groups`} value={group} onChange={(e) => setGroup(e.target.value)} />
          <datalist id={`${id}-groups`}>
            {groups.map((g) => (
              <option key={g} value={g} />
            ))}
          </datalist>
        </Labelled>
        <div className="field field-check">
          <label className="check">
            <input type="checkbox" checked={required} onChange={(e) => setRequired(e.target.checked)} />
            Required
          </label>
        </div>
        {isSelect(def.type) && (
          <Labelled id={`${id}-options`} label="Options" error={optErr} hint="One per line; editing a line renames the option and its values" wide>
            <textarea id={`${id}-options`} className="input" rows={4} value={options} onChange={(e) => setOptions(e.target.value)} />
          </Labelled>
        )}
      </div>
      {pending ? (
        <div className="confirm" role="alertdialog" aria-label="Confirm the change">
          <p>
            This removes {plural(pending.report.valuesRemoved, 'value', 'values')}
            {pending.report.problems[0] ? ` (for example ${pending.report.problems[0].recordName}: ${pending.report.problems[0].reason})` : ''}.
          </p>
          <button type="button" className="btn" onClick={() => setPending(null)}>
            Keep editing
          </button>
          <button
            type="button"
            className="btn btn-danger"
            onClick={() => apply(pending.changes, true).catch((err) => setErrors(toFieldErrors(err, () => false)))}
          >
            Save and remove {plural(pending.report.valuesRemoved, 'value', 'values')}
          </button>
        </div>
      ) : (
        <div className="row-gap">
          <button type="button" className="btn" onClick={() => onDone(null)}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary">
            Save field
          </button>
        </div>
      )}
    </form>
  );
}
