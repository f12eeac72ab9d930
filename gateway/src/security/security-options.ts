import { ApolloArmor } from '@escape.tech/graphql-armor';

/** The gateway's limits on what one request may ask. All enforced before the query planner runs. */
export interface GatewaySecurityOptions {
  /** Request bodies above this are refused with 413 before parsing. */
  maxBodyBytes: number;
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  /** Lexer tokens in one document: bounds parsing work before validation. */
  maxTokens: number;
  /** graphql-armor's cost: objects 2, scalars 1, times 1.5 per level of depth. */
  maxCost: number;
  rateLimit: {
    windowSeconds: number;
    /** Requests per window per signed-in user. */
    perUser: number;
    /** Requests per window per API client (partners send in bulk). */
    perClient: number;
    /** Requests per window per address without a token (login, refresh). */
    perAnonymousAddress: number;
  };
}

export const DEFAULT_SECURITY: GatewaySecurityOptions = {
  maxBodyBytes: 1_000_000,
  // The workbench's deepest operation (queueChanged → entry → application → scoring…) is 5 levels.
  maxDepth: 8,
  maxAliases: 15,
  maxDirectives: 20,
  maxTokens: 2_000,
  maxCost: 5_000,
  rateLimit: { windowSeconds: 60, perUser: 1_200, perClient: 3_000, perAnonymousAddress: 120 },
};

export function securityOptions(overrides: Partial<GatewaySecurityOptions> = {}): GatewaySecurityOptions {
  return { ...DEFAULT_SECURITY, ...overrides, rateLimit: { ...DEFAULT_SECURITY.rateLimit, ...overrides.rateLimit } };
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
