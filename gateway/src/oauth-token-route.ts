import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createLogger, INTERNAL_CONTEXT_HEADER, sendJson, signInternalContext } from '@tandem/platform';
import { ANONYMOUS } from './caller-auth.js';

const log = createLogger('oauth');

/**
 * POST /oauth/token, OAuth 2.0 client credentials (RFC 6749 §4.4): form-encoded
 * grant_type=client_credentials with client_id/client_secret in the body or
 * in HTTP Basic. Identity checks the secret; this route only speaks OAuth.
 */
export function oauthTokenRoute(identityUrl: string, internalSecret: string) {
  return async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const noStore = { 'cache-control': 'no-store', pragma: 'no-cache' };
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'invalid_request', error_description: 'use POST' }, { allow: 'POST', ...noStore });
    const type = String(req.headers['content-type'] ?? '');
    if (!type.startsWith('application/x-www-form-urlencoded')) {
      return sendJson(res, 400, { error: 'invalid_request', error_description: 'body must be application/x-www-form-urlencoded' }, noStore);
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
      return sendJson(res, 400, { error: 'unsupported_grant_type', error_description: 'only client_credentials is supported' }, noStore);
    }
    if (!clientId || !clientSecret) return sendJson(res, 400, { error: 'invalid_request', error_description: 'client_id and client_secret are required' }, noStore);

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
    if (token) return sendJson(res, 200, { access_token: token.accessToken, token_type: token.tokenType, expires_in: token.expiresIn }, noStore);
    if (result.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED') {
      return sendJson(res, 401, { error: 'invalid_client', error_description: 'unknown client or wrong secret' }, { 'www-authenticate': 'Basic realm="tandem"', ...noStore });
    }
    log.error({ requestId, errors: result.errors }, 'identity could not issue a client token');
    return sendJson(res, 503, { error: 'temporarily_unavailable' }, noStore);
  };
}
