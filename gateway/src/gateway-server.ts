import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway } from '@apollo/gateway';
import { execute as graphqlExecute, GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import {
  closeServer,
  createHttpHost,
  createLogger,
  formatError,
  listen,
  metricsPlugin,
  REQUEST_ID_HEADER,
  subgraphUrl,
  type Caller,
  type EventBus,
  type SubgraphName,
  type TandemConfig,
} from '@tandem/platform';
import { authorizationHeader, callerFromAuthorization } from './caller-auth.js';
import type { GatewayContext } from './gateway-context.js';
import { oauthTokenRoute } from './oauth-token-route.js';
import { staticWeb } from './static-web.js';
import { SubgraphDataSource } from './subgraph-data-source.js';
import { readSupergraph } from './supergraph-file.js';
import { createSubscriptionExecutor } from './subscriptions/subscription-executor.js';

const log = createLogger('gateway');

export interface GatewayOptions {
  config: TandemConfig;
  bus: EventBus;
  port?: number;
  host?: string;
  /** Where each subgraph listens; defaults to the config's ports. */
  subgraphUrls?: Partial<Record<SubgraphName, string>>;
  supergraphSdl?: string;
  webDist?: string;
}

export interface RunningGateway {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** The one public entry to the graph: HTTP (Apollo Gateway) and WebSocket (graphql-ws) on /graphql. */
export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  const { config } = opts;
  const urlOf = (name: string) => opts.subgraphUrls?.[name as SubgraphName] ?? subgraphUrl(config, name as SubgraphName);

  const gateway = new ApolloGateway({
    supergraphSdl: opts.supergraphSdl ?? readSupergraph(),
    buildService: ({ name }) => new SubgraphDataSource(urlOf(name), config),
  });

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    plugins: [ApolloServerPluginLandingPageDisabled(), metricsPlugin('gateway')],
  });
  await apollo.start();

  const executeAs = async (query: string, variables: Record<string, unknown>, caller: Caller): Promise<ExecutionResult> => {
    const response = await apollo.executeOperation({ query, variables }, { contextValue: { caller, requestId: randomUUID() } });
    if (response.body.kind !== 'single') throw new Error('incremental delivery is not supported here');
    return response.body.singleResult as ExecutionResult;
  };

  const identityUrl = urlOf('identity');
  const server: Server = createHttpHost<GatewayContext>({
    apollo,
    context: async (req) => ({
      caller: await callerFromAuthorization(authorizationHeader(req.headers), config.jwtSecret),
      requestId: String(req.headers[REQUEST_ID_HEADER] ?? randomUUID()),
    }),
    routes: { '/oauth/token': oauthTokenRoute(identityUrl, config.internalSecret) },
    fallback: opts.webDist ?? config.webDist ? staticWeb((opts.webDist ?? config.webDist)!) : undefined,
  });

  // graphql-ws on the same path. Queries and mutations over the socket go
  // through Apollo like HTTP ones; subscriptions are resolved from the bus.
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const subscribe = createSubscriptionExecutor(opts.bus, executeAs);
  const wsServer = useServer<Record<string, unknown>, { caller?: Caller }>(
    {
      schema: () => gateway.schema ?? (() => { throw new Error('gateway schema not loaded'); })(),
      onConnect: async (ctx) => {
        const raw = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        try {
          ctx.extra.caller = await callerFromAuthorization(typeof raw === 'string' ? raw : undefined, config.jwtSecret);
        } catch {
          return false; // closes with 4403 Forbidden
        }
        return ctx.extra.caller.kind !== 'anonymous';
      },
      context: (ctx) => ({ caller: ctx.extra.caller }),
      subscribe: (args: ExecutionArgs) => subscribe(args) as never,
      execute: async (args: ExecutionArgs) => {
        const caller = (args.contextValue as { caller: Caller }).caller;
        const { print } = await import('graphql');
        return executeAs(print(args.document), (args.variableValues ?? {}) as Record<string, unknown>, caller);
      },
    },
    wss,
    15_000, // keep-alive pings: dead sockets are found and closed
  );
  void graphqlExecute; // graphql's own execute is never used for the supergraph: the planner is.

  const port = await listen(server, opts.port ?? config.gatewayPort, opts.host ?? '0.0.0.0');
  const url = `http://localhost:${port}/graphql`;
  log.info({ url }, 'gateway listening');
  return {
    url,
    port,
    async stop() {
      await wsServer.dispose();
      wss.close();
      await closeServer(server);
      await apollo.stop();
    },
  };
}

export { GraphQLError };
