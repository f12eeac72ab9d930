import { type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { type DocumentNode, type FieldNode, GraphQLError, Kind, type OperationDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';
import type { GatewayContext } from '../gateway-context.js';
import { accountOfEmail, type SignInAttempt, type SignInLimits, type SignInOutcome } from './sign-in-limits.js';

/** The mutations that check a credential: each is a guess an attacker can repeat. */
const CREDENTIAL_FIELDS = new Set(['login', 'refreshToken']);

export interface CredentialField {
  /** Where its answer appears in the response (the alias, else the name). */
  responseKey: string;
  name: string;
  /** The email a login names (variables resolved); undefined for refreshToken or when not a string. */
  email?: string;
}

function stringArgument(field: FieldNode, name: string, variables: Record<string, unknown>): string | undefined {
  const value: ValueNode | undefined = field.arguments?.find((a) => a.name.value === name)?.value;
  if (value?.kind === Kind.STRING) return value.value;
  if (value?.kind === Kind.VARIABLE) {
    const v = variables[value.name.value];
    return typeof v === 'string' ? v : undefined;
  }
  return undefined;
}

/**
 * The credential-checking root fields of a mutation, through fragments and
 * inline fragments, aliases included: `a: login(…) b: login(…)` is two guesses.
 * (Validation has already refused fragment cycles.)
 */
export function credentialFields(
  document: DocumentNode,
  operation: OperationDefinitionNode | undefined,
  variables: Record<string, unknown> = {},
): CredentialField[] {
  if (operation?.operation !== 'mutation') return [];
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const found: CredentialField[] = [];
  const walk = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if (!CREDENTIAL_FIELDS.has(s.name.value)) continue;
        const email = s.name.value === 'login' ? stringArgument(s, 'email', variables) : undefined;
        found.push({ responseKey: s.alias?.value ?? s.name.value, name: s.name.value, email });
      } else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet);
      else {
        const fragment = fragments.get(s.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return found;
}

/** Whose address an attempt counts against: the socket's, or (over graphql-ws, which has none here) the caller's. */
function addressOf(ctx: GatewayContext): string {
  if (ctx.remoteAddress) return ctx.remoteAddress;
  return ctx.caller.kind === 'anonymous' ? 'unknown' : `${ctx.caller.kind}:${ctx.caller.tenantId}:${ctx.caller.id}`;
}

export function rateLimited(retryAfterSeconds: number, what: string): GraphQLError {
  return new GraphQLError(`Too many failed ${what}: retry in ${retryAfterSeconds} s`, {
    extensions: {
      code: 'RATE_LIMITED',
      retryAfterSeconds,
      http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) },
    },
  });
}

/**
 * The brute-force brake on `login` and `refreshToken`: before the operation
 * runs, each credential field is counted against its email and the caller's
 * address (SignInLimits); over either budget the whole operation is refused
 * with RATE_LIMITED, HTTP 429 and Retry-After. Once answered, a field that
 * came back UNAUTHENTICATED stays counted; any other outcome is taken back.
 */
export function signInGuard(limits: SignInLimits): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const attempts: { field: CredentialField; attempt: Extract<SignInAttempt, { refused: false }> }[] = [];
      const settleAll = (outcomeOf: (field: CredentialField) => SignInOutcome) =>
        Promise.all(attempts.map(({ field, attempt }) => attempt.settle(outcomeOf(field))));
      return {
        async didResolveOperation({ document, operation, request, contextValue }) {
          const fields = credentialFields(document, operation, request.variables ?? {});
          for (const field of fields) {
            const attempt = await limits.attempt({
              account: field.email === undefined ? undefined : accountOfEmail(field.email),
              address: addressOf(contextValue),
            });
            if (attempt.refused) {
              await settleAll(() => 'not-checked');
              attempts.length = 0;
              throw rateLimited(attempt.retryAfterSeconds, field.name === 'login' ? 'sign-ins' : 'session refreshes');
            }
            attempts.push({ field, attempt });
          }
        },
        async willSendResponse({ response }) {
          if (attempts.length === 0) return;
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          await settleAll((field) => {
            const error = result?.errors?.find((e) => e.path?.[0] === field.responseKey);
            if (error?.extensions?.code === 'UNAUTHENTICATED') return 'failed';
            return result?.data?.[field.responseKey] ? 'succeeded' : 'not-checked';
          });
        },
      };
    },
  };
}
