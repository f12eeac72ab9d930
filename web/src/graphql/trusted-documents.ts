import { type Exchange, formatDocument, makeOperation, mapExchange, stringifyDocument } from '@urql/core';
import * as operations from './operations';
import { sha256Hex } from './sha256';

/**
 * Trusted documents: every operation the workbench sends over HTTP is
 * registered with the gateway ahead of time (gateway/trusted-documents.json,
 * written from this module by `WRITE_TRUSTED_DOCUMENTS=1 npx vitest run
 * src/graphql/trusted-documents.test.ts`, and checked by that test), and the
 * client sends its id — the SHA-256 of the text — instead of the text.
 */

type Document = Parameters<typeof formatDocument>[0];

/** The exact text registered for a document: what urql sends for it (its cache adds __typename to every selection). */
export const documentText = (document: Document) => stringifyDocument(formatDocument(document));

/** id → text for every query and mutation in operations.ts (subscriptions go over graphql-ws). */
export function trustedDocumentManifest(): Record<string, string> {
  const manifest: Record<string, string> = {};
  for (const document of Object.values(operations)) {
    const isSubscription = document.definitions.some((d) => d.kind === 'OperationDefinition' && d.operation === 'subscription');
    if (isSubscription) continue;
    const text = documentText(document);
    manifest[sha256Hex(text)] = text;
  }
  return Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => a.localeCompare(b)));
}

/** Adds `extensions.persistedQuery` to registered queries and mutations; urql then leaves the text out of the body. */
export function trustedDocumentsExchange(): Exchange {
  const registered = new Set(Object.keys(trustedDocumentManifest()));
  return mapExchange({
    onOperation(operation) {
      if (operation.kind !== 'query' && operation.kind !== 'mutation') return operation;
      const sha256Hash = sha256Hex(documentText(operation.query));
      if (!registered.has(sha256Hash)) return operation;
      return makeOperation(
        operation.kind,
        { ...operation, extensions: { ...operation.extensions, persistedQuery: { version: 1, sha256Hash } } },
        operation.context,
      );
    },
  });
}
