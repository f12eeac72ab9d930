/**
 * What one request to the gateway may ask, and how often a caller may ask.
 * Read from the environment by loadConfig (variable names in GATEWAY_LIMIT_ENV);
 * every default is documented in gateway/README.md ("Limits").
 */
export interface GatewayLimits {
  /** Request bodies above this are refused with 413 before parsing. */
  maxBodyBytes: number;
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  /** Lexer tokens in one document: bounds parsing work before validation. */
  maxTokens: number;
  /** graphql-armor's cost: objects 2, scalars 1, times 1.5 per level of depth. */
  maxCost: number;
  /** Requests per fixed window, per caller. */
  rateLimit: {
    windowSeconds: number;
    /** Requests per window per signed-in user. */
    perUser: number;
    /** Requests per window per API client (partners send in bulk). */
    perClient: number;
    /** Requests per window per address without a token (login, refresh). */
    perAnonymousAddress: number;
  };
  /**
   * Failed credential checks (login, refreshToken, POST /oauth/token) per
   * fixed window: the brute-force brake. Only failures count, so a user who
   * signs in often is never slowed; the window ends, so nothing stays locked.
   */
  signInLimit: {
    windowSeconds: number;
    /** Failures per window per account: an email (login) or a client_id (/oauth/token). */
    perAccount: number;
    /** Failures per window per remote address, whatever account they name (credential stuffing, refresh-token guessing). */
    perAddress: number;
  };
}

export const DEFAULT_GATEWAY_LIMITS: GatewayLimits = {
  maxBodyBytes: 1_000_000,
  // The workbench's deepest operation (queueChanged → entry → application → scoring…) is 5 levels.
  maxDepth: 8,
  maxAliases: 15,
  maxDirectives: 20,
  maxTokens: 2_000,
  maxCost: 5_000,
  rateLimit: { windowSeconds: 60, perUser: 1_200, perClient: 3_000, perAnonymousAddress: 120 },
  // 10 wrong passwords per account per 5 minutes is ~3,000 guesses a day at most; an office behind one address gets 100.
  signInLimit: { windowSeconds: 300, perAccount: 10, perAddress: 100 },
};

/** The environment variable behind each limit. */
export const GATEWAY_LIMIT_ENV = {
  maxBodyBytes: 'GATEWAY_MAX_BODY_BYTES',
  maxDepth: 'GATEWAY_MAX_DEPTH',
  maxAliases: 'GATEWAY_MAX_ALIASES',
  maxDirectives: 'GATEWAY_MAX_DIRECTIVES',
  maxTokens: 'GATEWAY_MAX_TOKENS',
  maxCost: 'GATEWAY_MAX_COST',
  rateLimit: {
    windowSeconds: 'RATE_LIMIT_WINDOW_SECONDS',
    perUser: 'RATE_LIMIT_PER_USER',
    perClient: 'RATE_LIMIT_PER_CLIENT',
    perAnonymousAddress: 'RATE_LIMIT_PER_ANONYMOUS_ADDRESS',
  },
  signInLimit: {
    windowSeconds: 'SIGN_IN_LIMIT_WINDOW_SECONDS',
    perAccount: 'SIGN_IN_FAILURES_PER_ACCOUNT',
    perAddress: 'SIGN_IN_FAILURES_PER_ADDRESS',
  },
} as const satisfies { [K in keyof GatewayLimits]: GatewayLimits[K] extends number ? string : Record<keyof GatewayLimits[K], string> };

/**
 * The limits from the environment, each a positive integer or unset (its
 * default). `fail` reports a bad value (loadConfig throws a ConfigError).
 */
export function gatewayLimitsFrom(env: NodeJS.ProcessEnv, fail: (message: string) => never): GatewayLimits {
  const positive = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < 1) fail(`${name} must be a positive integer, got ${raw}`);
    return n;
  };
  const d = DEFAULT_GATEWAY_LIMITS;
  const e = GATEWAY_LIMIT_ENV;
  return {
    maxBodyBytes: positive(e.maxBodyBytes, d.maxBodyBytes),
    maxDepth: positive(e.maxDepth, d.maxDepth),
    maxAliases: positive(e.maxAliases, d.maxAliases),
    maxDirectives: positive(e.maxDirectives, d.maxDirectives),
    maxTokens: positive(e.maxTokens, d.maxTokens),
    maxCost: positive(e.maxCost, d.maxCost),
    rateLimit: {
      windowSeconds: positive(e.rateLimit.windowSeconds, d.rateLimit.windowSeconds),
      perUser: positive(e.rateLimit.perUser, d.rateLimit.perUser),
      perClient: positive(e.rateLimit.perClient, d.rateLimit.perClient),
      perAnonymousAddress: positive(e.rateLimit.perAnonymousAddress, d.rateLimit.perAnonymousAddress),
    },
    signInLimit: {
      windowSeconds: positive(e.signInLimit.windowSeconds, d.signInLimit.windowSeconds),
      perAccount: positive(e.signInLimit.perAccount, d.signInLimit.perAccount),
      perAddress: positive(e.signInLimit.perAddress, d.signInLimit.perAddress),
    },
  };
}
