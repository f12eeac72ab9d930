import 'reflect-metadata';
import { buildTandemSchema, type SubgraphModule } from '@tandem/platform';
import { testCaller } from '@tandem/platform/testing';
import { type ExecutionResult, parse, subscribe } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DriftAlertResolver } from './drift-alert.resolver.js';
import { RoutingPolicyResolver } from './routing-policy.resolver.js';

/** The scoring resolvers as every subgraph's schema is built, through the platform. */
const buildFederated = async () => {
  const module = { name: 'scoring', resolvers: [RoutingPolicyResolver, DriftAlertResolver], entities: [], migrations: [] } as unknown as SubgraphModule;
  return buildTandemSchema(module);
};

describe('Subscription.driftAlert', () => {
  it('declares driftAlert on the Subscription root of the federated schema and its SDL', async () => {
    const { schema, sdl } = await buildFederated();
    expect(schema.getSubscriptionType()?.name).toBe('Subscription');
    expect(sdl).toContain('driftAlert: DriftAlert!');
    expect(sdl).toMatch(/enum DriftSeverity {\s+WARNING\s+CRITICAL\s+}/);
    expect(sdl).toMatch(
      /type DriftAlert {[^}]*id: ID![^}]*severity: DriftSeverity![^}]*feature: String![^}]*metric: String![^}]*value: Float![^}]*raisedAt: DateTime!/s,
    );
  });

  it('refuses to run in the subgraph and says where subscriptions are served', async () => {
    const { schema } = await buildFederated();
    const result = (await subscribe({
      schema,
      document: parse('subscription { driftAlert { id } }'),
      contextValue: { caller: testCaller('admin') },
    })) as ExecutionResult;
    expect(result.errors?.[0]?.message).toMatch(/served by the gateway/);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const analystless = (await subscribe({
      schema,
      document: parse('subscription { driftAlert { id } }'),
      contextValue: { caller: testCaller('readonly') },
    })) as ExecutionResult;
    expect(analystless.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
