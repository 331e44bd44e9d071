import { hue, initials } from '../lib/format';

/** Initials on a colour derived from the id (decorative: the name is always shown beside it). */
export function Avatar({ id, name, size = 'sm' }: { id: string; name: string; size?: 'sm' | 'lg' }) {
  return (
    <span className={`avatar avatar-${size}`} aria-hidden style={{ '--h': hue(id) } as React.CSSProperties}>
      {initials(name)}
    </span>
  );
}
