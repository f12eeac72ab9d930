import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { GRAPHQL_URL, server } from '../test/server';
import { createTandemClient } from './client';
import { ME, QUEUE_SUMMARY } from './operations';
import { sha256Hex } from './sha256';
import { documentText, trustedDocumentManifest } from './trusted-documents';

const MANIFEST_PATH = resolve(__dirname, '../../../gateway/trusted-documents.json');

describe('trusted documents', () => {
  it('hashes like SHA-256', () => {
    for (const text of ['', 'abc', 'query Me { me { id } }', 'ünïcødé 🏃', 'x'.repeat(1000)]) {
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    }
  });

  it('registers every query and mutation of the workbench with the gateway (WRITE_TRUSTED_DOCUMENTS=1 rewrites the file)', () => {
    const manifest = trustedDocumentManifest();
    const text = `${JSON.stringify(manifest, null, 2)}\n`;
    if (process.env.WRITE_TRUSTED_DOCUMENTS === '1') writeFileSync(MANIFEST_PATH, text);
    expect(Object.keys(manifest).length).toBeGreaterThan(8);
    expect(Object.values(manifest)).toContain(documentText(ME));
    expect(
      readFileSync(MANIFEST_PATH, 'utf8'),
      'gateway/trusted-documents.json is stale: run WRITE_TRUSTED_DOCUMENTS=1 npx vitest run src/graphql/trusted-documents.test.ts',
    ).toBe(text);
  });

  it('sends registered documents by id, without their text', async () => {
    const bodies: Record<string, unknown>[] = [];
    server.use(
      http.post(GRAPHQL_URL, async ({ request }) => {
        bodies.push((await request.json()) as Record<string, unknown>);
        return HttpResponse.json({ data: { queueSummary: { pending: 1, assigned: 0, inProgress: 0, approachingSla: 0, breached: 0, total: 1 } } });
      }),
    );
    const byId = createTandemClient({ getToken: () => 't', trustedDocuments: true });
    const result = await byId.client.query(QUEUE_SUMMARY, {}).toPromise();
    byId.dispose();
    expect(result.data?.queueSummary.total).toBe(1);
    expect(bodies).toHaveLength(1);
    expect(bodies[0].query).toBeUndefined();
    const id = sha256Hex(documentText(QUEUE_SUMMARY));
    expect(bodies[0].extensions).toEqual({ persistedQuery: { version: 1, sha256Hash: id } });
    // The registered text is exactly what the client sends when it sends text.
    const byText = createTandemClient({ getToken: () => 't', trustedDocuments: false });
    await byText.client.query(QUEUE_SUMMARY, {}).toPromise();
    byText.dispose();
    expect(bodies[1].query).toBe(trustedDocumentManifest()[id]);
  });
});
