import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { App } from '../../app';
import type { QueueChangedEvent, QueueEntry, QueueSummary } from '../../graphql/types';
import { analyst, connection, queueEntry, signIn, summary } from '../../test/fixtures';
import { api, server } from '../../test/server';

interface Publisher {
  publish: (payload: { data: { queueChanged: QueueChangedEvent } }) => void;
}

/** A tiny in-memory "server": queue rows + summary, a live subscription, and a request log. */
function mockQueueServer(initial: QueueEntry[], initialSummary: QueueSummary) {
  const state = {
    rows: initial,
    summary: initialSummary,
    queueRequests: [] as unknown[],
    summaryRequests: 0,
    subscribers: [] as Publisher[],
    /** When set, ReviewQueue responses wait for it (to observe the optimistic patch). */
    gate: null as Promise<void> | null,
  };
  server.use(
    api.query('Me', () => HttpResponse.json({ data: { me: analyst } })),
    api.query('ReviewQueue', async ({ variables }) => {
      state.queueRequests.push(variables);
      if (state.gate) await state.gate;
      return HttpResponse.json({ data: connection(state.rows) });
    }),
    api.query('QueueSummary', () => {
      state.summaryRequests++;
      return HttpResponse.json({ data: { queueSummary: state.summary } });
    }),
    api.subscription('QueueChanged', ({ subscription }) => {
      state.subscribers.push(subscription as unknown as Publisher);
    }),
  );
  return {
    state,
    emit(event: QueueChangedEvent) {
      for (const s of state.subscribers) s.publish({ data: { queueChanged: event } });
    },
  };
}

const rowFor = (entryId: string) => screen.getAllByTestId('queue-row').find((r) => r.getAttribute('data-entry-id') === entryId);

describe('queue', () => {
  it('renders rows from reviewQueue with the summary and asks for 50 open entries by priority', async () => {
    signIn();
    const { state } = mockQueueServer(
      [queueEntry({ id: 'e1', priority: 80 }, ['Jane', 'Doe']), queueEntry({ id: 'e2', priority: 40 }, ['John', 'Roe'])],
      summary({ pending: 2, breached: 1 }),
    );
    render(<App />);

    const rows = await screen.findAllByTestId('queue-row');
    expect(rows).toHaveLength(2);
    expect(rows[0]?.textContent).toContain('Jane Doe');
    expect(rows[0]?.textContent).toContain('€12,000');
    expect(rows[0]?.textContent).toContain('12.3%');
    expect(rows[1]?.textContent).toContain('John Roe');
    await waitFor(() => expect(screen.getByTestId('summary-breached').textContent).toContain('1'));
    expect(state.queueRequests[0]).toEqual({
      filter: { status: ['PENDING', 'ASSIGNED', 'IN_PROGRESS'] },
      first: 50,
      orderBy: 'PRIORITY_DESC',
    });
  });

  it('updates the table and summary when a queueChanged event arrives over graphql-ws', async () => {
    signIn();
    const e1 = queueEntry({ id: 'e1', priority: 80 }, ['Jane', 'Doe']);
    const e2 = queueEntry({ id: 'e2', priority: 40 }, ['John', 'Roe']);
    const mock = mockQueueServer([e1, e2], summary({ pending: 2, assigned: 0 }));
    render(<App />);

    await screen.findAllByTestId('queue-row');
    await waitFor(() => expect(mock.state.subscribers).toHaveLength(1));
    await waitFor(() => expect(screen.getByTestId('live-indicator').getAttribute('data-state')).toBe('live'));

    // Someone assigns e2 to me. Hold the refetch so the optimistic patch is observable on its own.
    let open!: () => void;
    mock.state.gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const assigned: QueueEntry = { ...e2, status: 'ASSIGNED', assignee: { id: analyst.id, name: analyst.name, email: analyst.email } };
    mock.state.rows = [e1, assigned];
    mock.state.summary = summary({ pending: 1, assigned: 1 });
    const queueRequestsBefore = mock.state.queueRequests.length;
    mock.emit({ kind: 'ASSIGNED', entry: assigned });

    await waitFor(() => expect(rowFor('e2')?.getAttribute('data-status')).toBe('ASSIGNED'));
    expect(within(rowFor('e2') as HTMLElement).getByTestId('row-assignee').textContent).toBe('Ada Analyst (me)');

    // ...then queue and summary are refetched from the network.
    await waitFor(() => expect(mock.state.queueRequests.length).toBeGreaterThan(queueRequestsBefore));
    open();
    mock.state.gate = null;
    await waitFor(() => expect(screen.getByTestId('summary-assigned').textContent).toContain('1'));
    expect(screen.getByTestId('summary-pending').textContent).toContain('1');

    // A new, higher-priority case appears at the top; a completed one disappears.
    const e3 = queueEntry({ id: 'e3', priority: 95 }, ['Zed', 'New']);
    mock.state.rows = [e3, e1, assigned];
    mock.emit({ kind: 'CREATED', entry: e3 });
    await waitFor(() => expect(screen.getAllByTestId('queue-row')[0]?.getAttribute('data-entry-id')).toBe('e3'));

    mock.state.rows = [e3, assigned];
    mock.emit({ kind: 'COMPLETED', entry: { ...e1, status: 'COMPLETED' } });
    await waitFor(() => expect(rowFor('e1')).toBeUndefined());
    expect(screen.getAllByTestId('queue-row')).toHaveLength(2);
  });

  it('"Assign to me" sends assignCase with the entry id and no analystId', async () => {
    signIn();
    const mock = mockQueueServer([queueEntry({ id: 'e1' })], summary());
    let assignVariables: unknown;
    server.use(
      api.mutation('AssignCase', ({ variables }) => {
        assignVariables = variables;
        const entry = { ...queueEntry({ id: 'e1' }), status: 'ASSIGNED', assignee: { id: analyst.id, name: analyst.name, email: analyst.email } };
        mock.state.rows = [entry as QueueEntry];
        return HttpResponse.json({ data: { assignCase: entry } });
      }),
    );
    render(<App />);
    fireEvent.click(await screen.findByTestId('assign-to-me'));
    await waitFor(() => expect(assignVariables).toEqual({ entryId: 'e1' }));
    await waitFor(() => expect(rowFor('e1')?.getAttribute('data-status')).toBe('ASSIGNED'));
  });

  it('"Pick next case" opens the picked case, or says nothing is available', async () => {
    signIn();
    mockQueueServer([queueEntry({ id: 'e1' })], summary());
    let next: QueueEntry | null = null;
    server.use(
      api.mutation('PickNextCase', () => HttpResponse.json({ data: { pickNextCase: next } })),
      api.query('CaseApplication', () => HttpResponse.json({ data: { application: null } })),
    );
    render(<App />);
    await screen.findAllByTestId('queue-row');

    fireEvent.click(screen.getByTestId('pick-next'));
    expect((await screen.findByTestId('queue-notice')).textContent).toContain('Nothing available');

    next = queueEntry({ id: 'e7' });
    fireEvent.click(screen.getByTestId('pick-next'));
    await waitFor(() => expect(window.location.hash).toBe('#/case/app-e7'));
  });
});

describe('queue rows', () => {
  it('show a paused SLA clock instead of a countdown, and an override waiting for a senior', async () => {
    signIn();
    mockQueueServer(
      [
        queueEntry({ id: 'e1', slaPausedAt: new Date().toISOString(), status: 'IN_PROGRESS' }),
        queueEntry({ id: 'e2', awaitingOverrideApproval: true, status: 'IN_PROGRESS' }),
      ],
      summary(),
    );
    render(<App />);
    await screen.findAllByTestId('queue-row');
    const paused = rowFor('e1') as HTMLElement;
    expect(within(paused).getByTestId('sla-paused').textContent).toBe('Paused');
    expect(within(paused).queryByTestId('sla-countdown')).toBeNull();
    expect(within(paused).queryByTestId('row-override-pending')).toBeNull();
    const awaiting = rowFor('e2') as HTMLElement;
    expect(within(awaiting).getByTestId('sla-countdown')).toBeTruthy();
    expect(within(awaiting).getByTestId('row-override-pending').textContent).toBe('Override awaiting senior');
  });
});
