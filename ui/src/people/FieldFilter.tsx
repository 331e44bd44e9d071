/**
 * The toolbar's custom-field filter: a field, a condition and (unless the condition is
 * "is set"/"is empty") a value, typed by the field (options for selects, yes/no for
 * booleans). Core compares after the field's own parsing, so "42" matches a number.
 */
import type { FieldDef, FieldFilter, FilterOp } from '../api';

export type FieldFilterDraft = { key: string; op: FilterOp; value: string };

export const noFieldFilter: FieldFilterDraft = { key: '', op: 'eq', value: '' };

const OPS: { op: FilterOp; label: string; ordered?: boolean; text?: boolean; noValue?: boolean }[] = [
  { op: 'eq', label: 'is' },
  { op: 'ne', label: 'is not' },
  { op: 'contains', label: 'contains', text: true },
  { op: 'gt', label: 'after / above', ordered: true },
  { op: 'lt', label: 'before / below', ordered: true },
  { op: 'isSet', label: 'has a value', noValue: true },
  { op: 'isEmpty', label: 'is empty', noValue: true },
];

const ORDERED = new Set(['number', 'date']);
const TEXTUAL = new Set(['text', 'long_text', 'url', 'email', 'phone', 'multi_select']);

function opsFor(def: FieldDef | undefined) {
  return OPS.filter((o) => (!o.ordered || (def && ORDERED.has(def.type))) && (!o.text || (def && TEXTUAL.has(def.type))));
}

/** The query's filter, or null while the draft is incomplete. */
export function toFieldFilter(d: FieldFilterDraft, defs: FieldDef[]): FieldFilter | null {
  const def = defs.find((f) => f.key === d.key);
  if (!def) return null;
  const op = OPS.find((o) => o.op === d.op);
  if (op?.noValue) return { key: d.key, op: d.op, value: null };
  if (d.value.trim() === '') return null;
  const value = def.type === 'boolean' ? d.value === 'yes' : d.value.trim();
  return { key: d.key, op: d.op, value };
}

type Props = { value: FieldFilterDraft; onChange: (v: FieldFilterDraft) => void; defs: FieldDef[] };

export function FieldFilterControls({ value, onChange, defs }: Props) {
  if (defs.length === 0) return null;
  const def = defs.find((f) => f.key === value.key);
  const ops = opsFor(def);
  const noValue = OPS.find((o) => o.op === value.op)?.noValue;
  return (
    <div className="field-filter" role="group" aria-label="Custom field filter">
      <div className="field field-inline">
        <label htmlFor="people-field">Field</label>
        <select
          id="people-field"
          className="input"
          value={value.key}
          onChange={(e) => onChange({ key: e.target.value, op: 'eq', value: '' })}
        >
          <option value="">Any field</option>
          {defs.map((d) => (
            <option key={d.key} value={d.key}>
              {d.label}
            </option>
          ))}
        </select>
      </div>
      {def && (
        <div className="field field-inline">
          <label htmlFor="people-field-op">Condition</label>
          <select
            id="people-field-op"
            className="input"
            value={value.op}
            onChange={(e) => onChange({ ...value, op: e.target.value as FilterOp })}
          >
            {ops.map((o) => (
              <option key={o.op} value={o.op}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
      )}
      {def && !noValue && (
        <div className="field field-inline">
          <label htmlFor="people-field-value">Value</label>
          {def.type === 'boolean' || def.type === 'single_select' || def.type === 'multi_select' ? (
            <select
              id="people-field-value"
              className="input"
              value={value.value}
              onChange={(e) => onChange({ ...value, value: e.target.value })}
            >
              <option value="">—</option>
              {def.type === 'boolean'
                ? [
                    <option key="yes" value="yes">
                      Yes
                    </option>,
                    <option key="no" value="no">
                      No
                    </option>,
                  ]
                : def.options.map((o) => (
                    <option key={o.label} value={o.label}>
                      {o.label}
                    </option>
                  ))}
            </select>
          ) : (
            <input
              id="people-field-value"
              className="input input-tag"
              type={def.type === 'date' ? 'date' : 'text'}
              value={value.value}
              onChange={(e) => onChange({ ...value, value: e.target.value })}
              autoComplete="off"
            />
          )}
        </div>
      )}
    </div>
  );
}
