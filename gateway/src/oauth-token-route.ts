import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLogger, INTERNAL_CONTEXT_HEADER, sendJson, signInternalContext } from '@tandem/platform';
import { ANONYMOUS } from './caller-auth.js';
import { accountOfClient, type SignInLimits, type SignInOutcome } from './security/sign-in-limits.js';

const log = createLogger('oauth');

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

interface TokenReply {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
  /** What the answer says about the secret, for the brute-force budget. */
  outcome: SignInOutcome;
}

/**
 * POST /oauth/token, OAuth 2.0 client credentials (RFC 6749 §4.4): form-encoded
 * grant_type=client_credentials with client_id/client_secret in the body or
 * in HTTP Basic. Identity checks the secret; this route only speaks OAuth.
 * Failed secrets count against the client_id and the remote address
 * (`limits`, when given): over either budget the answer is 429 `slow_down`
 * (the token endpoint's "ask less often", RFC 8628) with Retry-After.
 */
export function oauthTokenRoute(identityUrl: string, internalSecret: string, limits?: SignInLimits) {
  /** Asks identity to check the secret and speaks OAuth about its answer. */
  async function exchange(clientId: string, clientSecret: string): Promise<TokenReply> {
    const requestId = randomUUID();
    const response = await fetch(identityUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [INTERNAL_CONTEXT_HEADER]: await signInternalContext(ANONYMOUS, internalSecret, requestId) },
      body: JSON.stringify({
        query: 'mutation($id: String!, $secret: String!) { clientCredentialsToken(clientId: $id, clientSecret: $secret) { accessToken tokenType expiresIn } }',
        variables: { id: clientId, secret: clientSecret },
      }),
    });
    const result = (await response.json()) as {
      data?: { clientCredentialsToken?: { accessToken: string; tokenType: string; expiresIn: number } } | null;
      errors?: { extensions?: { code?: string } }[];
    };
    const token = result.data?.clientCredentialsToken;
    if (token) {
      return { status: 200, body: { access_token: token.accessToken, token_type: token.tokenType, expires_in: token.expiresIn }, outcome: 'succeeded' };
    }
    if (result.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED') {
      return {
        status: 401,
        body: { error: 'invalid_client', error_description: 'unknown client or wrong secret' },
        headers: { 'www-authenticate': 'Basic realm="tandem"' },
        outcome: 'failed',
      };
    }
    log.error({ requestId, errors: result.errors }, 'identity could not issue a client token');
    return { status: 503, body: { error: 'temporarily_unavailable' }, outcome: 'not-checked' };
  }

  return async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'invalid_request', error_description: 'use POST' }, { allow: 'POST', ...NO_STORE });
    const type = String(req.headers['content-type'] ?? '');
    if (!type.startsWith('application/x-www-form-urlencoded')) {
      return sendJson(res, 400, { error: 'invalid_request', error_description: 'body must be application/x-www-form-urlencoded' }, NO_STORE);
    }
    const form = new URLSearchParams(body.toString('utf8'));
    let clientId = form.get('client_id') ?? undefined;
    let clientSecret = form.get('client_secret') ?? undefined;
    const basic = /^Basic\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
    if (basic) {
      const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id ?? '');
      clientSecret = decodeURIComponent(secret ?? '');
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return sendJson(res, 400, { error: 'unsupported_grant_type', error_description: 'only client_credentials is supported' }, NO_STORE);
    }
    if (!clientId || !clientSecret)
      return sendJson(res, 400, { error: 'invalid_request', error_description: 'client_id and client_secret are required' }, NO_STORE);

    const attempt = limits ? await limits.attempt({ account: accountOfClient(clientId), address: req.socket.remoteAddress ?? 'unknown' }) : undefined;
    if (attempt?.refused) {
      const seconds = attempt.retryAfterSeconds;
      return sendJson(
        res,
        429,
        { error: 'slow_down', error_description: `Too many failed attempts: retry in ${seconds} s` },
        { 'retry-after': String(seconds), ...NO_STORE },
      );
    }
    let reply: TokenReply;
    try {
      reply = await exchange(clientId, clientSecret);
    } catch (err) {
      await attempt?.settle('not-checked');
      throw err;
    }
    await attempt?.settle(reply.outcome);
    return sendJson(res, reply.status, reply.body, { ...reply.headers, ...NO_STORE });
  };
}
