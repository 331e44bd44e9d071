/** A long operation's progress bar with its counts and a Cancel button. */
type Props = { label: string; done: number; total: number; onCancel: () => void; cancelLabel: string; testId: string };

export function Progress({ label, done, total, onCancel, cancelLabel, testId }: Props) {
  return (
    <div className="job-progress" data-testid={testId}>
      <span className="job-label">{label}</span>
      <progress max={Math.max(total, 1)} value={done} aria-label={`${label}: ${done} of ${total}`} />
      <span className="muted job-count">
        {done} / {total}
      </span>
      <button type="button" className="btn btn-ghost btn-sm" onClick={onCancel} aria-label={cancelLabel}>
        Cancel
      </button>
    </div>
  );
}
