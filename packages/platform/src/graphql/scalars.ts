import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

export { GraphQLDateTime as DateTimeScalar, GraphQLDate as DateScalar } from 'graphql-scalars';

const MONEY_PATTERN = /^-?\d{1,13}(\.\d{1,2})?$/;

function parseMoney(value: unknown): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || Math.abs(value) >= 1e13 || Math.round(value * 100) !== Number((value * 100).toFixed(6))) {
      throw new GraphQLError(`Money must be a finite amount with at most 2 decimals, got ${value}`, { extensions: { code: 'BAD_USER_INPUT' } });
    }
    return value;
  }
  if (typeof value === 'string' && MONEY_PATTERN.test(value.trim())) return Number(value.trim());
  throw new GraphQLError(`Money must be a number or a decimal string like "1234.50", got ${JSON.stringify(value)}`, {
    extensions: { code: 'BAD_USER_INPUT' },
  });
}

/**
 * Amounts: accepted as JSON numbers or decimal strings (partners' systems
 * differ), at most two decimals; served as decimal strings so no client
 * rounds them through a float.
 */
export const MoneyScalar = new GraphQLScalarType<number, string>({
  name: 'Money',
  description: 'An amount of money: a decimal string with two decimals on output; a number or decimal string on input.',
  serialize: (value) => {
    const n = typeof value === 'string' ? Number(value) : (value as number);
    if (!Number.isFinite(n)) throw new GraphQLError('Money value is not finite');
    return n.toFixed(2);
  },
  parseValue: parseMoney,
  parseLiteral: (ast) => {
    if (ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return parseMoney(Number(ast.value));
    if (ast.kind === Kind.STRING) return parseMoney(ast.value);
    throw new GraphQLError('Money must be a number or a decimal string', { extensions: { code: 'BAD_USER_INPUT' } });
  },
});
