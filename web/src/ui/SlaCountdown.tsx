import { formatDuration } from '../lib/format';
import { useNow } from '../lib/clock';

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
    <span
      className={`sla sla-${state}`}
      data-testid="sla-countdown"
      data-sla={state}
      title={`SLA deadline ${new Date(deadline).toLocaleString()}`}
    >
      {left <= 0 ? `${formatDuration(left)} over` : formatDuration(left)}
    </span>
  );
}
