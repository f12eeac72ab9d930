import type { Caller } from '@tandem/platform';

/** The gateway's per-request context: who calls, and the id that follows the request everywhere. */
export interface GatewayContext {
  caller: Caller;
  requestId: string;
  /** The HTTP client's address (absent over graphql-ws): what anonymous budgets count against. */
  remoteAddress?: string;
  /** The signed internal context, made once per request and sent to every subgraph it touches. */
  internalToken?: Promise<string>;
}
