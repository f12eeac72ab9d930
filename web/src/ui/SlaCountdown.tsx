import { useNow } from '../lib/clock';
import { formatDateTime, formatDuration } from '../lib/format';

/** Below this much time left the countdown turns amber. */
export const SLA_WARNING_MS = 60 * 60 * 1000;

export type SlaState = 'ok' | 'warning' | 'breached';

export function slaState(deadline: string, now: number): SlaState {
  const left = new Date(deadline).getTime() - now;
  if (left <= 0) return 'breached';
  if (left < SLA_WARNING_MS) return 'warning';
  return 'ok';
}

export function SlaCountdown({ deadline, done = false }: { deadline: string; done?: boolean }) {
  const now = useNow();
  const at = new Date(deadline).getTime();
  if (Number.isNaN(at)) return <span className="sla">—</span>;
  if (done) return <span className="sla sla-done">—</span>;
  const left = at - now;
  const state = slaState(deadline, now);
  return (
    <span className={`sla sla-${state}`} data-testid="sla-countdown" data-sla={state} title={`SLA deadline ${new Date(deadline).toLocaleString()}`}>
      {left <= 0 ? `${formatDuration(left)} over` : formatDuration(left)}
    </span>
  );
}

/** While documents are requested the SLA clock stands still: say so instead of counting down. */
export function SlaPaused({ since, detailed = false }: { since: string; detailed?: boolean }) {
  return (
    <span className="sla-paused" data-testid="sla-paused" title={`SLA clock paused since ${formatDateTime(since)}: waiting on the applicant`}>
      <span className="badge badge-warn">Paused</span>
      {detailed && <span className="muted small">since {formatDateTime(since)} · waiting on the applicant</span>}
    </span>
  );
}
