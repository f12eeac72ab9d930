import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import {
  type Admission,
  type Caller,
  closeServer,
  createHttpHost,
  createLogger,
  createRateLimiter,
  createRevocationList,
  type EventBus,
  formatError,
  type InProcessGraphQL,
  listen,
  metricsPlugin,
  operationErrors,
  REQUEST_ID_HEADER,
  SUBGRAPHS,
  type SubgraphName,
  subgraphUrl,
  type TandemConfig,
} from '@tandem/platform';
import type { ExecutionResult } from 'graphql';
import { WebSocketServer } from 'ws';
import { authorizationHeader, callerFromAuthorization } from './caller-auth.js';
import type { GatewayContext } from './gateway-context.js';
import { oauthTokenRoute } from './oauth-token-route.js';
import { gatewayReadiness } from './readiness.js';
import { requestIdOf, requestIdPlugin } from './request-id.js';
import { cachedAnswer } from './response-cache/cached-answer.js';
import { ResponseCache, stringifyResult } from './response-cache/response-cache.js';
import { observeResponseCache, responseCacheAnswers } from './response-cache/response-cache-metrics.js';
import { responseCachePlugin } from './response-cache/response-cache-plugin.js';
import { schemaDownloadRoute } from './schema-download-route.js';
import { introspectionForSignedInCallers } from './security/introspection-guard.js';
import { requestAdmission } from './security/request-admission.js';
import { armor, type GatewaySecurityOptions, securityOptions } from './security/security-options.js';
import { signInGuard } from './security/sign-in-guard.js';
import { SignInLimits } from './security/sign-in-limits.js';
import { readTrustedDocuments, type TrustedDocuments } from './security/trusted-documents.js';
import { staticWeb } from './static-web.js';
import { SubgraphDataSource } from './subgraph-data-source.js';
import { createSubgraphFetcher } from './subgraph-fetcher.js';
import { EventHub } from './subscriptions/event-hub.js';
import { attachSubscriptionEndpoint } from './subscriptions/subscription-endpoint.js';
import { readSupergraph } from './supergraph-file.js';

const log = createLogger('gateway');

export interface GatewayOptions {
  config: TandemConfig;
  bus: EventBus;
  port?: number;
  host?: string;
  /** Where each subgraph listens; defaults to the config's ports. */
  subgraphUrls?: Partial<Record<SubgraphName, string>>;
  /** Subgraphs running in this process, by URL: the gateway calls them without HTTP (embedded mode). */
  inProcessSubgraphs?: Record<string, InProcessGraphQL>;
  supergraphSdl?: string;
  webDist?: string;
  /** Overrides of the config's gatewayLimits (depth, cost, size, rate…), for tests and the bench. */
  security?: Partial<GatewaySecurityOptions>;
  /** The workbench's registered documents by id; default gateway/trusted-documents.json. */
  trustedDocuments?: TrustedDocuments;
  /**
   * false: none of the abuse protections (armor, rate limits, trusted
   * documents, introspection guard). Only for measuring what they cost.
   */
  securityLayers?: boolean;
  /** Overrides the config's gatewayResponseCache (tests, and the bench's uncached row). */
  responseCache?: TandemConfig['gatewayResponseCache'];
}

export interface RunningGateway {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Refusals before Apollo (rate limits, unknown document ids, over-long documents) count in the errors-by-code metric too. */
function countRefusals(admit: (req: IncomingMessage, body: unknown) => Promise<Admission>) {
  return async (req: IncomingMessage, body: unknown): Promise<Admission> => {
    const admission = await admit(req, body);
    if (admission.kind === 'refuse') {
      const code = (admission.body as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code ?? 'BAD_REQUEST';
      operationErrors.inc({ service: 'gateway', code });
    }
    return admission;
  };
}

/** The one public entry to the graph: HTTP (Apollo Gateway) and WebSocket (graphql-ws) on /graphql. */
export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  const { config } = opts;
  const urlOf = (name: string) => opts.subgraphUrls?.[name as SubgraphName] ?? subgraphUrl(config, name as SubgraphName);

  const security = securityOptions(opts.security, config.gatewayLimits);
  const layers = opts.securityLayers !== false;
  const armored = layers ? armor(security) : { plugins: [], validationRules: [] };
  // graphql-armor is typed against Apollo's CommonJS build; the plugins are plain objects either way.
  const protections = { plugins: armored.plugins as unknown as ApolloServerPlugin<GatewayContext>[], validationRules: armored.validationRules };
  const supergraphSdl = opts.supergraphSdl ?? readSupergraph();
  // One Redis client each when REDIS_URL is set, so every gateway process shares revocations and budgets.
  const revocations = createRevocationList(config.redisUrl);
  const limiter = createRateLimiter(config.redisUrl);
  const signInLimits = new SignInLimits(limiter, security.signInLimit);
  const trusted = opts.trustedDocuments ?? readTrustedDocuments();

  // One listener on the bus for the whole gateway: live subscriptions, and the response cache's invalidation.
  const hub = new EventHub(opts.bus);
  const responseCache = new ResponseCache(opts.responseCache ?? config.gatewayResponseCache, Date.now, (result) => responseCacheAnswers.inc({ result }));
  const unobserveCache = observeResponseCache(responseCache);
  hub.onEveryEvent((event) => responseCache.invalidateTenant(event.tenantId));

  // One pool of keep-alive sockets for every subgraph; those in this process are called without one.
  const fetcher = createSubgraphFetcher({ inProcess: opts.inProcessSubgraphs });
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) => new SubgraphDataSource(urlOf(name), config, fetcher),
  });

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError,
    // A page served from the response cache is written out as stored, not serialised again.
    stringifyResult,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // Trusted documents are resolved by id before Apollo; nobody registers documents at run time.
    persistedQueries: false,
    // Gated per caller by introspectionForSignedInCallers.
    introspection: true,
    validationRules: protections.validationRules,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      metricsPlugin('gateway'),
      requestIdPlugin(),
      ...protections.plugins,
      ...(layers ? [introspectionForSignedInCallers(), signInGuard(signInLimits)] : []),
      responseCachePlugin(responseCache),
    ],
  });
  await apollo.start();

  const executeAs = async (query: string, variables: Record<string, unknown>, caller: Caller): Promise<ExecutionResult> => {
    const response = await apollo.executeOperation({ query, variables }, { contextValue: { caller, requestId: randomUUID() } });
    if (response.body.kind !== 'single') throw new Error('incremental delivery is not supported here');
    return response.body.singleResult as ExecutionResult;
  };

  const identityUrl = urlOf('identity');
  // The token is verified once per request: admission (rate limit) and the context share the answer.
  const callers = new WeakMap<IncomingMessage, Promise<Caller>>();
  const callerOf = (req: IncomingMessage) => {
    let caller = callers.get(req);
    if (!caller) {
      caller = callerFromAuthorization(authorizationHeader(req.headers), config.jwtSecret, revocations);
      callers.set(req, caller);
    }
    return caller;
  };
  const admitted = layers
    ? countRefusals(requestAdmission({ options: security, limiter, trusted, callerOf: (req) => callerOf(req).catch(() => null) }))
    : async (_req: IncomingMessage, body: unknown): Promise<Admission> => ({ kind: 'pass', body });
  // Only once admitted: a cached page is never a way around the rate limit or the token budget.
  const answerFromCache = cachedAnswer(responseCache, (req) => callerOf(req).catch(() => null));
  const server: Server = createHttpHost<GatewayContext>({
    apollo,
    service: 'gateway',
    maxBodyBytes: security.maxBodyBytes,
    admit: async (req, body) => {
      const admission = await admitted(req, body);
      if (admission.kind !== 'pass') return admission;
      return (await answerFromCache(req, admission.body)) ?? admission;
    },
    context: async (req) => ({
      caller: await callerOf(req),
      requestId: requestIdOf(req.headers[REQUEST_ID_HEADER]),
      remoteAddress: req.socket.remoteAddress,
    }),
    ready: gatewayReadiness({
      schemaLoaded: () => gateway.schema !== undefined,
      subgraphUrls: Object.fromEntries(SUBGRAPHS.map((name) => [name, urlOf(name)])),
      limitsReachable: () => limiter.reachable(),
    }),
    routes: {
      '/oauth/token': oauthTokenRoute(identityUrl, config.internalSecret, layers ? signInLimits : undefined),
      '/schema.graphql': schemaDownloadRoute(
        () => gateway.schema,
        supergraphSdl,
        (req) => callerOf(req).catch(() => null),
      ),
    },
    fallback: (opts.webDist ?? config.webDist) ? staticWeb((opts.webDist ?? config.webDist)!) : undefined,
  });

  // Everything but the sockets: what a failed listen leaves to close, and the end of stop().
  const closeServices = async () => {
    await apollo.stop();
    await limiter.close();
    await revocations.close();
    fetcher.close();
    unobserveCache();
  };
  const port = await listen(server, opts.port ?? config.gatewayPort, opts.host ?? '0.0.0.0').catch(async (err: unknown) => {
    await closeServices().catch((closeErr) => log.warn({ err: closeErr }, 'could not close the gateway after a failed listen'));
    throw err;
  });
  // graphql-ws on the same path. Queries and mutations over the socket go
  // through Apollo like HTTP ones; subscriptions are resolved from the bus.
  // Attached once the port is ours (before any connection can arrive): a port
  // in use is then the listen's error alone, not also the WebSocket server's.
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const wsServer = attachSubscriptionEndpoint({
    wss,
    schema: () =>
      gateway.schema ??
      (() => {
        throw new Error('gateway schema not loaded');
      })(),
    bus: hub,
    executeQuery: executeAs,
    authenticate: (authorization) => callerFromAuthorization(authorization, config.jwtSecret, revocations),
    revocations, // open sockets are re-checked against it: a logout closes them (4401)
    // The same depth, cost, alias, directive and token limits as HTTP (none when the layers are off, for the bench).
    documentLimits: layers ? { validationRules: protections.validationRules, maxTokens: security.maxTokens } : undefined,
    keepAliveMs: 15_000, // pings: a socket that misses one is terminated
    fanoutHelperThread: config.gatewayFanoutHelper,
  });

  const url = `http://localhost:${port}/graphql`;
  log.info({ url }, 'gateway listening');
  return {
    url,
    port,
    async stop() {
      await wsServer.dispose();
      wss.close();
      await closeServer(server);
      await closeServices();
    },
  };
}
