import type { CombinedError } from 'urql';
import { useLiveStatus } from '../../graphql/provider';
import { describeError } from '../../ui/ErrorMessage';

const LABEL = { idle: 'Idle', connecting: 'Connecting…', live: 'Live', offline: 'Offline' } as const;

export function LiveIndicator({ error }: { error: CombinedError | null }) {
  const status = useLiveStatus();
  const state = error ? 'offline' : status;
  const title = error ? `Live updates failed: ${describeError(error).message}` : `Live updates: ${LABEL[state]}`;
  return (
    <span className={`live live-${state}`} data-testid="live-indicator" data-state={state} title={title}>
      <span className="live-dot" aria-hidden="true" />
      {error ? 'Live error' : LABEL[state]}
    </span>
  );
}
