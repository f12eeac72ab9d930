import { anyOf, badInput, conflict, forbidden, notFound, Permission, pageWindow, type SubgraphContext, tenantOf, toConnection } from '@tandem/platform';
import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { WebhookRepository } from '../data/webhook.repository.js';
import { isHttpUrl } from '../domain/decision-workflow.js';
import { MAX_SECRET_LENGTH, MIN_SECRET_LENGTH } from '../domain/webhook-signing.js';
import { auditWebhookReplayed, auditWebhookSet } from '../events/decision-audit.js';
import { toWebhookDelivery, toWebhookEndpoint } from './decision.mapper.js';
import { WebhookDelivery, WebhookDeliveryConnection, WebhookEndpoint } from './decision.types.js';

const isConfigManager = (ctx: SubgraphContext) => ctx.caller.permissions.includes(Permission.ConfigManage);

/**
 * Whose webhooks the caller may manage: an API client its own (its id is the
 * client id), a user with config:manage any client of the tenant (named).
 */
function clientScope(ctx: SubgraphContext, clientId: string | null | undefined, required: boolean): string | null {
  if (ctx.caller.kind === 'client' && ctx.caller.id) {
    if (clientId && clientId !== ctx.caller.id) throw forbidden('An API client manages only its own webhooks');
    return ctx.caller.id;
  }
  if (!isConfigManager(ctx)) throw forbidden('Missing permission: config:manage');
  if (required && !clientId) throw badInput('clientId is required when a user manages webhooks');
  return clientId ?? null;
}

/** How long a user's setWebhook waits for identity's news of a client created a moment ago. */
const CLIENT_CATCH_UP_MS = 2_000;

/**
 * Whether the tenant has the API client a user named. Identity announces new
 * clients through the bus, so one created just now may not have arrived yet:
 * asked again for a short while before the answer is no.
 */
async function clientKnown(repo: WebhookRepository, tenantId: string, clientId: string): Promise<boolean> {
  for (const until = Date.now() + CLIENT_CATCH_UP_MS; ; await new Promise((r) => setTimeout(r, 100))) {
    if (await repo.hasClient(tenantId, clientId)) return true;
    if (Date.now() >= until) return false;
  }
}

@Resolver()
export class WebhookResolver {
  // Partners manage their own webhooks; a user with config:manage manages any client's.
  @Authorized(anyOf(Permission.ApplicationCreate, Permission.ConfigManage))
  @Mutation(() => WebhookEndpoint, {
    description:
      'Where your decisions are pushed: an http(s) URL and a secret (24+ characters) that signs each delivery ' +
      '(X-Tandem-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">). An API client sets its own; config:manage sets that of any client of the tenant (NOT_FOUND for another).',
  })
  async setWebhook(
    @Arg('url') url: string,
    @Arg('secret') secret: string,
    @Ctx() ctx: SubgraphContext,
    @Arg('clientId', () => ID, { nullable: true }) clientId?: string,
  ): Promise<WebhookEndpoint> {
    const tenantId = tenantOf(ctx);
    const client = clientScope(ctx, clientId, true) as string;
    const problems = [];
    if (!isHttpUrl(url)) problems.push({ field: 'url', problem: 'must be an http(s) URL' });
    if (secret.length < MIN_SECRET_LENGTH || secret.length > MAX_SECRET_LENGTH) {
      problems.push({ field: 'secret', problem: `must be ${MIN_SECRET_LENGTH} to ${MAX_SECRET_LENGTH} characters` });
    }
    if (problems.length) throw badInput(`Invalid webhook: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`, { problems });
    if (ctx.caller.kind !== 'client' && !(await clientKnown(new WebhookRepository(ctx.em), tenantId, client))) throw notFound('API client', client);
    const endpoint = await ctx.em.transactional(async (tx) => {
      const repo = new WebhookRepository(tx);
      const current = await repo.findEndpoint(tenantId, client);
      const before = current ? { url: current.url } : null;
      const saved = await repo.setEndpoint(tenantId, client, url, secret, new Date());
      auditWebhookSet(tx, before, saved, ctx.caller, ctx.requestId);
      return saved;
    });
    ctx.log.info({ clientId: client }, 'webhook endpoint set');
    return toWebhookEndpoint(endpoint);
  }

  @Authorized(anyOf(Permission.ApplicationCreate, Permission.ConfigManage))
  @Query(() => WebhookEndpoint, { nullable: true, description: "Your webhook endpoint (config:manage: the named client's)" })
  async webhookEndpoint(@Ctx() ctx: SubgraphContext, @Arg('clientId', () => ID, { nullable: true }) clientId?: string): Promise<WebhookEndpoint | null> {
    const tenantId = tenantOf(ctx);
    const record = await new WebhookRepository(ctx.em).findEndpoint(tenantId, clientScope(ctx, clientId, true) as string);
    return record ? toWebhookEndpoint(record) : null;
  }

  @Authorized(anyOf(Permission.ApplicationCreate, Permission.ConfigManage))
  @Query(() => WebhookDeliveryConnection, {
    description: "Webhooks that failed every retry, newest first: yours, or (config:manage) the tenant's or one client's",
  })
  async webhookDeadLetters(
    @Ctx() ctx: SubgraphContext,
    @Arg('clientId', () => ID, { nullable: true }) clientId?: string,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    const tenantId = tenantOf(ctx);
    const scope = clientScope(ctx, clientId, false);
    const { limit, offset } = pageWindow(first, after);
    const { items, total } = await new WebhookRepository(ctx.em).deadLetters(tenantId, scope, offset, limit);
    return toConnection(items.map(toWebhookDelivery), total, offset);
  }

  @Authorized(anyOf(Permission.ApplicationCreate, Permission.ConfigManage))
  @Mutation(() => WebhookDelivery, { description: 'Send a dead-lettered webhook again, with a fresh set of retries' })
  async replayWebhook(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<WebhookDelivery> {
    const tenantId = tenantOf(ctx);
    const scope = clientScope(ctx, null, false);
    const repo = new WebhookRepository(ctx.em);
    const delivery = await repo.findDelivery(tenantId, id);
    if (!delivery || (scope && delivery.clientId !== scope)) throw notFound('Webhook delivery', id);
    await ctx.em.transactional(async (tx) => {
      if (!(await new WebhookRepository(tx).replay(tenantId, id, new Date()))) throw conflict('Only a dead-lettered delivery can be replayed');
      auditWebhookReplayed(tx, tenantId, id, ctx.caller, ctx.requestId);
    });
    ctx.em.clear();
    return toWebhookDelivery((await repo.findDelivery(tenantId, id)) as NonNullable<typeof delivery>);
  }
}
