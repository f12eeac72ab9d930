import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { planSubscription } from './selection-query.js';
import { SUBSCRIPTIONS } from './subscription-catalogue.js';

describe('planSubscription', () => {
  it('copies plain fields from the event and fetches entity fields in one query, keeping aliases', () => {
    const plan = planSubscription(
      parse('subscription Live { changes: queueChanged { __typename what: kind entry { id application { id } } } }'),
      undefined,
      SUBSCRIPTIONS.queueChanged,
    );
    expect(plan.rootAlias).toBe('changes');
    expect(plan.plainFields).toEqual([
      { alias: '__typename', field: '__typename' },
      { alias: 'what', field: 'kind' },
    ]);
    expect(plan.entityQuery?.idVariables).toEqual([{ alias: 'entry', variable: '__id0', entity: 'entry' }]);
    expect(plan.entityQuery?.text).toMatch(/query SubscriptionPayload\(\$__id0: ID!\)/);
    expect(plan.entityQuery?.text).toMatch(/entry: queueEntry\(id: \$__id0\)/);
  });

  it('carries the fragments and variables the entity selection uses, and only those', () => {
    const plan = planSubscription(
      parse(`
        subscription($withApp: Boolean!, $unused: Int) { queueChanged { kind ...Entry } }
        fragment Entry on QueueChangedEvent { entry { ...Fields application @include(if: $withApp) { id } } }
        fragment Fields on QueueEntry { id status }
        fragment Unused on QueueEntry { priority }
      `),
      undefined,
      SUBSCRIPTIONS.queueChanged,
    );
    const text = plan.entityQuery!.text;
    expect(text).toContain('fragment Fields on QueueEntry');
    expect(text).not.toContain('Unused');
    expect(text).toContain('$withApp: Boolean!');
    expect(text).not.toContain('$unused');
    expect(plan.entityQuery!.usedVariables).toEqual(['withApp']);
  });

  it('needs no query when only plain fields are selected', () => {
    const plan = planSubscription(parse('subscription { driftAlert { id severity value } }'), undefined, SUBSCRIPTIONS.driftAlert);
    expect(plan.entityQuery).toBeUndefined();
    expect(plan.plainFields.map((f) => f.field)).toEqual(['id', 'severity', 'value']);
  });
});
