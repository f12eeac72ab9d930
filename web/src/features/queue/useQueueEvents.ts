import { useEffect, useRef, useState } from 'react';
import { type CombinedError, useClient } from 'urql';
import { QUEUE_CHANGED } from '../../graphql/operations';
import type { QueueChangedEvent } from '../../graphql/types';

/**
 * Subscribe to queueChanged for as long as the component is mounted and call
 * `onEvent` once per event (latest callback, no resubscription on re-render).
 */
export function useQueueEvents(onEvent: (event: QueueChangedEvent) => void): {
  error: CombinedError | null;
  lastEventAt: number | null;
} {
  const client = useClient();
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const [error, setError] = useState<CombinedError | null>(null);
  const [lastEventAt, setLastEventAt] = useState<number | null>(null);

  useEffect(() => {
    const { unsubscribe } = client.subscription(QUEUE_CHANGED, {}).subscribe((result) => {
      if (result.error) {
        setError(result.error);
        return;
      }
      const event = result.data?.queueChanged;
      if (!event) return;
      setError(null);
      setLastEventAt(Date.now());
      handler.current(event);
    });
    return unsubscribe;
  }, [client]);

  return { error, lastEventAt };
}
