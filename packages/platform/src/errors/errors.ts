import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { createLogger } from '../logging/logger.js';

/**
 * The only error codes a caller ever sees. Anything else thrown inside a
 * resolver is a bug on our side: it is logged with its stack and reaches the
 * caller as INTERNAL_SERVER_ERROR with a generic message.
 */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  RATE_LIMITED: 'RATE_LIMITED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class TandemError extends GraphQLError {
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message, { extensions: { code, ...(details ? { details } : {}) } });
  }
  get code(): ErrorCode {
    return this.extensions.code as ErrorCode;
  }
}

export const badInput = (message: string, details?: Record<string, unknown>) =>
  new TandemError(ErrorCode.BAD_USER_INPUT, message, details);
export const notFound = (what: string, id?: string) =>
  new TandemError(ErrorCode.NOT_FOUND, id ? `${what} ${id} not found` : `${what} not found`);
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new TandemError(ErrorCode.CONFLICT, message, details);
export const forbidden = (message = 'You are not allowed to do that') => new TandemError(ErrorCode.FORBIDDEN, message);
export const unauthenticated = (message = 'Sign in first') => new TandemError(ErrorCode.UNAUTHENTICATED, message);

const KNOWN = new Set<string>([...Object.values(ErrorCode), 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE']);

const log = createLogger('errors');

/**
 * Apollo formatError for every server: keeps our coded errors and GraphQL's
 * own validation errors, maps type-graphql's argument validation to
 * BAD_USER_INPUT, and hides everything else (no stack, no internal message).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const code = formatted.extensions?.code as string | undefined;
  if (original instanceof TandemError || (code && KNOWN.has(code) && code !== 'INTERNAL_SERVER_ERROR')) {
    const { stacktrace: _s, exception: _e, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
    return { ...formatted, extensions };
  }
  // type-graphql throws ArgumentValidationError for class-validator failures
  // and graphql-js throws plain GraphQLErrors for bad scalar literals.
  if (original && typeof original === 'object' && (original as Error).name === 'ArgumentValidationError') {
    return { message: 'Argument validation failed', path: formatted.path, locations: formatted.locations, extensions: { code: ErrorCode.BAD_USER_INPUT } };
  }
  log.error({ err: original, path: formatted.path }, 'unexpected error in resolver');
  return {
    message: 'Internal error: the request could not be completed',
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
