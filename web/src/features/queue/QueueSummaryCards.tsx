import type { QueueSummary } from '../../graphql/types';

const CARDS: { key: keyof QueueSummary; label: string; tone?: string }[] = [
  { key: 'pending', label: 'Pending' },
  { key: 'assigned', label: 'Assigned' },
  { key: 'inProgress', label: 'In progress' },
  { key: 'approachingSla', label: 'Approaching SLA', tone: 'warn' },
  { key: 'breached', label: 'SLA breached', tone: 'bad' },
];

export function QueueSummaryCards({ summary }: { summary: QueueSummary | null }) {
  return (
    <section className="summary-cards" aria-label="Queue summary" data-testid="queue-summary">
      {CARDS.map(({ key, label, tone }) => {
        const value = summary?.[key];
        return (
          <div key={key} className={`summary-card${tone && value ? ` summary-card-${tone}` : ''}`} data-testid={`summary-${key}`}>
            <span className="summary-value">{value ?? '–'}</span>
            <span className="summary-label">{label}</span>
          </div>
        );
      })}
    </section>
  );
}
