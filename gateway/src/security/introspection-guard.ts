import type { ApolloServerPlugin } from '@apollo/server';
import { type DocumentNode, GraphQLError, Kind, visit } from 'graphql';
import type { GatewayContext } from '../gateway-context.js';

/** Whether the document asks for the schema (`__schema` or `__type`; `__typename` is ordinary). */
export function asksForSchema(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.FIELD](node) {
      if (node.name.value === '__schema' || node.name.value === '__type') found = true;
    },
  });
  return found;
}

/** Introspection is on for signed-in callers (BI tools read the schema), off for anonymous ones. */
export function introspectionForSignedInCallers(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, contextValue }) {
          if (contextValue.caller.kind === 'anonymous' && asksForSchema(document)) {
            throw new GraphQLError('Introspection needs a signed-in caller', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
          }
        },
      };
    },
  };
}
