import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { createLogger, type Logger } from '../logging/logger.js';

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

export const badInput = (message: string, details?: Record<string, unknown>) => new TandemError(ErrorCode.BAD_USER_INPUT, message, details);
export const notFound = (what: string, id?: string) => new TandemError(ErrorCode.NOT_FOUND, id ? `${what} ${id} not found` : `${what} not found`);
export const conflict = (message: string, details?: Record<string, unknown>) => new TandemError(ErrorCode.CONFLICT, message, details);
export const forbidden = (message = 'You are not allowed to do that') => new TandemError(ErrorCode.FORBIDDEN, message);
export const unauthenticated = (message = 'Sign in first') => new TandemError(ErrorCode.UNAUTHENTICATED, message);

const KNOWN = new Set<string>([
  ...Object.values(ErrorCode),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

const log = createLogger('errors');

// type-graphql throws ArgumentValidationError for class-validator failures.
const isArgumentValidation = (original: unknown) => !!original && typeof original === 'object' && (original as Error).name === 'ArgumentValidationError';

/** An error formatError hides as INTERNAL_SERVER_ERROR: a fault of ours, never a caller's mistake. */
export function isUnexpectedError(error: GraphQLError): boolean {
  const original = unwrapResolverError(error);
  const code = error.extensions?.code as string | undefined;
  return !(original instanceof TandemError) && !(code && KNOWN.has(code) && code !== 'INTERNAL_SERVER_ERROR') && !isArgumentValidation(original);
}

/**
 * Logs each unexpected error once, with its stack, through the request's own
 * logger when the context has one (so the line carries the request id).
 */
export function unexpectedErrorLogging<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          const requestLog = (contextValue as { log?: Logger }).log ?? log;
          for (const e of errors) if (isUnexpectedError(e)) requestLog.error({ err: unwrapResolverError(e), path: e.path }, 'unexpected error in resolver');
        },
      };
    },
  };
}

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
  if (isArgumentValidation(original)) {
    return { message: 'Argument validation failed', path: formatted.path, locations: formatted.locations, extensions: { code: ErrorCode.BAD_USER_INPUT } };
  }
  // Logged where the request's logger (and so its request id) is at hand: unexpectedErrorLogging().
  return {
    message: 'Internal error: the request could not be completed',
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
