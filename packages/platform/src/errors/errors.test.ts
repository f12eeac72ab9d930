import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { badInput, conflict, formatError, unexpectedErrorLogging } from './errors.js';

describe('formatError', () => {
  it('keeps our coded errors and their details', () => {
    const e = badInput('loan.amount must be positive', { field: 'loan.amount' });
    const out = formatError({ message: e.message, extensions: { ...e.extensions, stacktrace: ['at x'] } }, e);
    expect(out).toMatchObject({ message: 'loan.amount must be positive', extensions: { code: 'BAD_USER_INPUT', details: { field: 'loan.amount' } } });
    expect(out.extensions).not.toHaveProperty('stacktrace');
    expect(formatError({ message: 'x', extensions: { code: 'CONFLICT' } }, conflict('x')).extensions?.code).toBe('CONFLICT');
  });
  it('hides unexpected errors behind a generic message, with no stack or internals', () => {
    const err = new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2');
    const out = formatError({ message: err.message, extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at db.ts:1'] } }, err);
    expect(out.message).not.toContain('ECONNREFUSED');
    expect(JSON.stringify(out)).not.toMatch(/hunter2|stacktrace|db\.ts/);
    expect(out.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
  });
  it('passes GraphQL validation errors through', () => {
    const v = new GraphQLError('Cannot query field "nope"', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(formatError({ message: v.message, extensions: v.extensions }, v).message).toContain('nope');
  });
});

describe('unexpectedErrorLogging', () => {
  const run = async (errors: GraphQLError[]) => {
    const lines: { obj: Record<string, unknown>; msg: string }[] = [];
    const log = { error: (obj: Record<string, unknown>, msg: string) => lines.push({ obj, msg }) };
    const listener = await unexpectedErrorLogging<{ log: typeof log }>().requestDidStart?.({} as never);
    await listener?.didEncounterErrors?.({ errors, contextValue: { log } } as never);
    return lines;
  };
  it("logs an unexpected error with its cause through the request's own logger (which carries the request id)", async () => {
    const cause = new Error('relation "x" does not exist');
    const lines = await run([new GraphQLError('relation "x" does not exist', { originalError: cause, path: ['application'] })]);
    expect(lines).toEqual([{ obj: { err: cause, path: ['application'] }, msg: 'unexpected error in resolver' }]);
  });
  it("does not log a caller's mistakes", async () => {
    const lines = await run([
      new GraphQLError('bad', { originalError: badInput('bad') }),
      new GraphQLError('Cannot query field', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
    ]);
    expect(lines).toEqual([]);
  });
});
