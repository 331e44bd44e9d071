/** Small display helpers shared by the views. */

const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateFmt.format(d);
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTimeFmt.format(d);
}

/** `--MM-DD` birthdays (year unknown) shown as "3 Mar". */
export function formatBirthday(b: string | null | undefined): string {
  if (!b) return '';
  const m = /^--(\d\d)-(\d\d)$/.exec(b);
  if (m) {
    const d = new Date(2000, Number(m[1]) - 1, Number(m[2]));
    return new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' }).format(d);
  }
  return formatDate(`${b}T00:00:00`);
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.map((p) => p[0]?.toUpperCase() ?? '').join('') || '?';
}

/** A stable hue per id, so an avatar keeps its colour. */
export function hue(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) % 360;
  return h;
}
