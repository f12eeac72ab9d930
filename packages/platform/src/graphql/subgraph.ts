import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import type { Constructor } from '@mikro-orm/core';
import type { Migration } from '@mikro-orm/migrations';
import type { MikroORM } from '@mikro-orm/postgresql';
import { GraphQLError, type GraphQLSchema, parse, print } from 'graphql';
import { buildSchema, createResolversMap, type NonEmptyArray } from 'type-graphql';
import { permissionAuthChecker } from '../auth/auth-checker.js';
import { declarePermissions, PERMISSION_DIRECTIVE_LINK } from '../auth/permission-directive.js';
import { INTERNAL_CONTEXT_HEADER, REQUEST_ID_HEADER, verifyInternalContext } from '../auth/request-context.js';
import type { SubgraphName, TandemConfig } from '../config/config.js';
import { openSubgraphDatabase } from '../db/orm.js';
import { badInput, formatError, unexpectedErrorLogging } from '../errors/errors.js';
import type { EventBus } from '../events/event-bus.js';
import { type ConsumerHandlers, idempotentConsumer, OutboxRelay } from '../events/outbox.js';
import {
  closeServer,
  createHttpHost,
  createInProcessGraphQL,
  type HttpHostOptions,
  type InProcessGraphQL,
  listen,
  type RequestHeaders,
} from '../http/apollo-http.js';
import { metricsPlugin } from '../http/metrics-plugin.js';
import type { Scheduler } from '../jobs/scheduler.js';
import { createLogger } from '../logging/logger.js';
import type { SubgraphContext } from './context.js';
import { DateScalar, DateTimeScalar, MoneyScalar } from './scalars.js';

export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@composeDirective"])';

// biome-ignore lint/suspicious/noExplicitAny: reference resolvers receive partial representations
export type ReferenceResolver = (reference: any, ctx: SubgraphContext) => unknown;

/** What runs inside a subgraph besides GraphQL: consumers and scheduled jobs. */
export interface SubgraphRuntime {
  config: TandemConfig;
  orm: MikroORM;
  bus: EventBus;
  scheduler: Scheduler;
}

/**
 * Everything a subgraph is, declared once; `startSubgraph` wires it and the
 * composition script prints its SDL from the same declaration.
 */
export interface SubgraphModule<S = unknown> {
  name: SubgraphName;
  // biome-ignore lint/complexity/noBannedTypes: type-graphql takes classes
  resolvers: NonEmptyArray<Function>;
  // biome-ignore lint/complexity/noBannedTypes: type-graphql takes classes
  orphanedTypes?: Function[];
  referenceResolvers?: Record<string, ReferenceResolver>;
  // biome-ignore lint/suspicious/noExplicitAny: MikroORM entity classes
  entities: any[];
  migrations: { name: string; class: Constructor<Migration> }[];
  /** Services built once per process (model sessions, policies) and put on every context. */
  createServices?: (runtime: SubgraphRuntime) => Promise<S> | S;
  /** Event handlers by event type; consumed in the group named after the subgraph. */
  consumers?: (runtime: SubgraphRuntime, services: S) => ConsumerHandlers;
  jobs?: (runtime: SubgraphRuntime, services: S) => { name: string; everyMs: number; run: () => Promise<void> }[];
  /** Demo mode only: seed this subgraph's reference data for the demo tenants. Must be idempotent. */
  seedDemo?: (runtime: SubgraphRuntime, services: S, tenants: readonly DemoTenant[]) => Promise<void>;
  /** Work done once before the subgraph listens (after any demo seed), so the first requests do not pay for it. */
  warmUp?: (runtime: SubgraphRuntime, services: S) => Promise<void>;
}

/** The demo tenants. Tenant ids are their slugs, so every subgraph can seed without asking identity. */
export interface DemoTenant {
  id: string;
  name: string;
}
export const DEMO_TENANTS: readonly DemoTenant[] = [
  { id: 'demo', name: 'Demo Lender' },
  { id: 'acme', name: 'Acme Credit' },
];

const SUBSCRIPTIONS_SERVED_BY_GATEWAY = {
  publish(): void {
    throw new Error('subgraphs do not publish subscription events: stage an outbox event instead');
  },
  subscribe(): never {
    throw badInput('Subscriptions are served by the gateway over graphql-ws at /graphql');
  },
};

export async function buildTandemSchema<S>(module: SubgraphModule<S>): Promise<{ schema: GraphQLSchema; sdl: string }> {
  const typeSchema = await buildSchema({
    resolvers: module.resolvers,
    orphanedTypes: module.orphanedTypes,
    authChecker: permissionAuthChecker,
    authMode: 'error',
    skipCheck: true,
    validate: false,
    emitSchemaFile: false,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    // Subscription fields are declared here so they compose into the
    // supergraph, but the gateway executes them from the bus: a subgraph
    // never runs one.
    pubSub: SUBSCRIPTIONS_SERVED_BY_GATEWAY,
  });
  // Every @Authorized field carries @tandem__requires in the SDL, so the supergraph shows who may call what.
  const printed = print(declarePermissions(parse(printSubgraphSchema(typeSchema)), module.resolvers, typeSchema));
  const sdl = `${FEDERATION_LINK}\n${PERMISSION_DIRECTIVE_LINK}\n\n${printed}\n`;
  const resolvers = createResolversMap(typeSchema) as Record<string, Record<string, unknown>>;
  for (const [typeName, resolve] of Object.entries(module.referenceResolvers ?? {})) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), __resolveReference: resolve };
  }
  // The custom scalars must keep their parse/serialize functions in the federated schema.
  Object.assign(resolvers, { Money: MoneyScalar, DateTime: DateTimeScalar, Date: DateScalar });
  // biome-ignore lint/suspicious/noExplicitAny: resolver map shape is checked by @apollo/subgraph
  const schema = buildSubgraphSchema([{ typeDefs: parse(sdl), resolvers: resolvers as any }]);
  return { schema, sdl };
}

export interface RunningSubgraph<S = unknown> {
  name: SubgraphName;
  url: string;
  port: number;
  orm: MikroORM;
  services: S;
  relay: OutboxRelay;
  /** Its /graphql for a gateway in the same process (embedded mode): no socket between them. */
  inProcess: InProcessGraphQL;
  stop(): Promise<void>;
}

export async function startSubgraph<S>(
  module: SubgraphModule<S>,
  deps: {
    config: TandemConfig;
    databaseUrl: string;
    bus: EventBus;
    scheduler: Scheduler;
    port?: number;
    /** Scheduled jobs run here (default true); the cluster runs them in the worker process instead. */
    runJobs?: boolean;
    /**
     * Leave the outbox relay stopped; the caller starts it (`relay.start()`). For several subgraphs
     * on one in-process bus: an event published before a consumer group exists never reaches it,
     * so nothing is relayed until every subgraph of the process consumes.
     */
    holdRelay?: boolean;
  },
): Promise<RunningSubgraph<S>> {
  const log = createLogger(`subgraph:${module.name}`);
  const orm = await openSubgraphDatabase({
    url: deps.databaseUrl,
    schema: module.name,
    entities: module.entities,
    migrations: module.migrations,
    poolSize: deps.config.databasePoolSize,
    poolIdleSeconds: deps.config.databasePoolIdleSeconds,
  });
  const runtime: SubgraphRuntime = { config: deps.config, orm, bus: deps.bus, scheduler: deps.scheduler };
  const services = (await module.createServices?.(runtime)) as S;
  if (deps.config.mode === 'demo' && module.seedDemo) await module.seedDemo(runtime, services, DEMO_TENANTS);
  await module.warmUp?.(runtime, services);
  const { schema } = await buildTandemSchema(module);

  const apollo = new ApolloServer<SubgraphContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    // Inline tracing (ftv1) is for Apollo's hosted studio, which we do not use: it costs a trace per resolver.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(), metricsPlugin(module.name), unexpectedErrorLogging()],
  });
  await apollo.start();

  const unsubscribers: (() => Promise<void>)[] = [];
  if (module.consumers) {
    const handlers = module.consumers(runtime, services);
    // On the in-process bus the relay marks an event delivered after its consumers commit, in the same PostgreSQL: see commitLazily.
    const lazyCommit = deps.bus.kind === 'in-process';
    unsubscribers.push(deps.bus.consume(module.name, idempotentConsumer(orm, module.name, handlers, { lazyCommit })));
  }
  // After this subgraph's own consumers: on an in-process bus, a group that does not exist yet misses what is published.
  const relay = new OutboxRelay(orm, deps.bus);
  if (!deps.holdRelay) relay.start();
  for (const job of deps.runJobs === false ? [] : (module.jobs?.(runtime, services) ?? [])) {
    await deps.scheduler.every(`${module.name}-${job.name}`, job.everyMs, job.run);
  }

  const hostOptions: HttpHostOptions<SubgraphContext, RequestHeaders> = {
    apollo,
    service: module.name,
    ready: async () => orm.isConnected(),
    context: async (req) => {
      const token = req.headers[INTERNAL_CONTEXT_HEADER];
      const verified = typeof token === 'string' ? await verifyInternalContext(token, deps.config.internalSecret) : null;
      if (!verified) {
        // Subgraphs are only reachable through the gateway, which signs every request.
        throw new GraphQLError('Missing or invalid internal context: call the gateway', {
          extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
        });
      }
      const requestId = verified.requestId || String(req.headers[REQUEST_ID_HEADER] ?? randomUUID());
      return {
        requestId,
        caller: verified.caller,
        em: orm.em.fork(),
        log: log.child({ requestId }),
        loaders: new Map([['services', services]]),
      };
    },
  };
  const server: Server = createHttpHost(hostOptions);
  const port = await listen(server, deps.port ?? deps.config.subgraphPorts[module.name], deps.config.subgraphHost);
  const url = `http://${deps.config.subgraphHost}:${port}/graphql`;
  log.info({ url }, 'subgraph listening');

  return {
    name: module.name,
    url,
    port,
    orm,
    services,
    relay,
    inProcess: createInProcessGraphQL(hostOptions),
    async stop() {
      await closeServer(server);
      await apollo.stop();
      for (const u of unsubscribers) await u();
      await relay.stop();
      await orm.close();
    },
  };
}

/** The process-wide services of the subgraph serving this request. */
export function servicesOf<S>(ctx: SubgraphContext): S {
  return ctx.loaders.get('services') as S;
}
