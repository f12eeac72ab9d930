import { ApolloArmor } from '@escape.tech/graphql-armor';
import { DEFAULT_GATEWAY_LIMITS, type GatewayLimits } from '@tandem/platform';

/**
 * The gateway's limits on what one request may ask and how often: the
 * platform config's `gatewayLimits` (environment variables and defaults in
 * packages/platform/src/config/gateway-limits.ts, documented in gateway/README.md).
 */
export type GatewaySecurityOptions = GatewayLimits;

export const DEFAULT_SECURITY: GatewaySecurityOptions = DEFAULT_GATEWAY_LIMITS;

/** The configured limits with a caller's overrides on top (tests and the bench narrow or widen one budget). */
export function securityOptions(overrides: Partial<GatewaySecurityOptions> = {}, base: GatewaySecurityOptions = DEFAULT_SECURITY): GatewaySecurityOptions {
  return {
    ...base,
    ...overrides,
    rateLimit: { ...base.rateLimit, ...overrides.rateLimit },
    signInLimit: { ...base.signInLimit, ...overrides.signInLimit },
  };
}

/**
 * graphql-armor's Apollo protections: depth, cost, aliases and directives as
 * validation rules (validation runs before planning), and "Did you mean …" removed from every error message. Limits are not
 * echoed back (exposeLimits: false): a caller learns it went too far, not
 * how far it may go.
 */
export function armor(options: GatewaySecurityOptions) {
  return new ApolloArmor({
    maxDepth: { n: options.maxDepth, exposeLimits: false, errorMessage: 'Query is too deep' },
    maxAliases: { n: options.maxAliases, exposeLimits: false, errorMessage: 'Query uses too many aliases' },
    maxDirectives: { n: options.maxDirectives, exposeLimits: false, errorMessage: 'Query uses too many directives' },
    // Tokens are counted in request admission instead: armor's Apollo plugin answers 500 when it refuses.
    maxTokens: { enabled: false },
    costLimit: { maxCost: options.maxCost, exposeLimits: false, errorMessage: 'Query is too expensive' },
    blockFieldSuggestion: { enabled: true, mask: '' },
  }).protect();
}
