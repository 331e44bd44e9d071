/**
 * The people table's columns. Rows are windows onto a lazily loaded list: a row's
 * `person` is null until its page arrives, and every cell then shows a placeholder.
 *
 * Sorting happens in the database (PeopleQuery.sort): only the columns core can order
 * by (name, created, updated) are sortable, and every custom-field column
 * (`customFieldColumns`, made from the schema; sorted through `PeopleQuery.sortField`).
 */
import {
  columnSizingFeature,
  columnVisibilityFeature,
  createColumnHelper,
  rowSortingFeature,
  tableFeatures,
  type ColumnDef,
} from '@tanstack/react-table';
import type { FieldDef, Person } from '../api';
import { Avatar } from '../components/Avatar';
import { formatBirthday, formatDate } from '../lib/format';

export type PersonRow = { index: number; person: Person | null };
export type ColumnMeta = { label: string; grow?: number };

export const features = tableFeatures({
  rowSortingFeature,
  columnVisibilityFeature,
  columnSizingFeature,
  columnMeta: {} as ColumnMeta,
});

const helper = createColumnHelper<typeof features, PersonRow>();

const skeleton = <span className="skeleton" aria-hidden />;

export const columns = helper.columns([
  helper.accessor((r) => r.person?.fullName ?? '', {
    id: 'name',
    header: 'Name',
    size: 240,
    enableHiding: false,
    meta: { label: 'Name', grow: 2 },
    cell: ({ row }) => {
      const p = row.original.person;
      if (!p) return skeleton;
      return (
        <span className="name-cell">
          <Avatar id={p.id} name={p.fullName} />
          <span className="truncate">{p.fullName}</span>
        </span>
      );
    },
  }),
  helper.accessor((r) => r.person?.emails[0]?.value ?? '', {
    id: 'email',
    header: 'Email',
    size: 240,
    enableSorting: false,
    meta: { label: 'Email', grow: 2 },
    cell: ({ row, getValue }) => (row.original.person ? <span className="truncate">{getValue()}</span> : skeleton),
  }),
  helper.accessor((r) => r.person?.phones[0]?.value ?? '', {
    id: 'phone',
    header: 'Phone',
    size: 170,
    enableSorting: false,
    meta: { label: 'Phone' },
    cell: ({ row, getValue }) => (row.original.person ? <span className="truncate tabular">{getValue()}</span> : skeleton),
  }),
  helper.accessor((r) => r.person?.company ?? '', {
    id: 'company',
    header: 'Company',
    size: 180,
    enableSorting: false,
    meta: { label: 'Company', grow: 1 },
    cell: ({ row, getValue }) => (row.original.person ? <span className="truncate">{getValue()}</span> : skeleton),
  }),
  helper.accessor((r) => r.person?.jobTitle ?? '', {
    id: 'jobTitle',
    header: 'Job title',
    size: 170,
    enableSorting: false,
    meta: { label: 'Job title', grow: 1 },
    cell: ({ row, getValue }) => (row.original.person ? <span className="truncate">{getValue()}</span> : skeleton),
  }),
  helper.accessor((r) => r.person?.tags ?? [], {
    id: 'tags',
    header: 'Tags',
    size: 140,
    enableSorting: false,
    meta: { label: 'Tags' },
    cell: ({ row }) =>
      row.original.person ? (
        <span className="tags truncate">
          {row.original.person.tags.map((t) => (
            <span key={t} className="tag">
              {t}
            </span>
          ))}
        </span>
      ) : (
        skeleton
      ),
  }),
  helper.accessor((r) => r.person?.addresses[0]?.city ?? '', {
    id: 'city',
    header: 'City',
    size: 130,
    enableSorting: false,
    meta: { label: 'City' },
    cell: ({ row, getValue }) => (row.original.person ? <span className="truncate">{getValue()}</span> : skeleton),
  }),
  helper.accessor((r) => r.person?.birthday ?? '', {
    id: 'birthday',
    header: 'Birthday',
    size: 110,
    enableSorting: false,
    meta: { label: 'Birthday' },
    cell: ({ row, getValue }) => (row.original.person ? formatBirthday(getValue()) : skeleton),
  }),
  helper.accessor((r) => r.person?.createdAt ?? '', {
    id: 'created',
    header: 'Created',
    size: 120,
    sortDescFirst: true,
    meta: { label: 'Created' },
    cell: ({ row, getValue }) => (row.original.person ? formatDate(getValue()) : skeleton),
  }),
  helper.accessor((r) => r.person?.updatedAt ?? '', {
    id: 'updated',
    header: 'Updated',
    size: 120,
    sortDescFirst: true,
    meta: { label: 'Updated' },
    cell: ({ row, getValue }) => (row.original.person ? formatDate(getValue()) : skeleton),
  }),
]) as ColumnDef<typeof features, PersonRow, any>[];

/** Hidden until the user picks them in the column chooser. */
export const defaultVisibility: Record<string, boolean> = {
  city: false,
  birthday: false,
  created: false,
  updated: false,
};

/** Table column id -> the database sort it maps to. */
export const sortKeyOf = { name: 'name', created: 'created', updated: 'updated' } as const;

/** How a custom value reads in a cell. */
export function formatCustom(v: unknown): string {
  if (v == null) return '';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (Array.isArray(v)) return v.join(', ');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** One hideable, sortable column per custom field of people (hidden until chosen). */
export function customFieldColumns(defs: FieldDef[]): ColumnDef<typeof features, PersonRow, any>[] {
  return defs.map(
    (d) =>
      helper.accessor((r) => formatCustom(r.person?.customFields?.[d.key]), {
        id: d.key,
        header: d.label,
        size: d.type === 'long_text' ? 220 : 140,
        meta: { label: d.label },
        cell: ({ row, getValue }) =>
          row.original.person ? <span className={`truncate ${d.type === 'number' ? 'tabular' : ''}`}>{getValue()}</span> : skeleton,
      }) as ColumnDef<typeof features, PersonRow, any>,
  );
}
