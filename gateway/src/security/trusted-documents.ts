import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The workbench's registered operations by SHA-256 of their text (gateway/trusted-documents.json). */
export type TrustedDocuments = ReadonlyMap<string, string>;

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Builds the map and checks every entry: a key must be the hash of its document. */
export function trustedDocuments(manifest: Record<string, string>): TrustedDocuments {
  for (const [hash, document] of Object.entries(manifest)) {
    if (sha256Hex(document) !== hash) throw new Error(`trusted documents: ${hash} is not the SHA-256 of its document`);
  }
  return new Map(Object.entries(manifest));
}

/** gateway/trusted-documents.json, written from web/src/graphql/operations.ts (see web/scripts/trusted-documents.ts). */
export function trustedDocumentsPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = resolve(dir, 'trusted-documents.json');
    if (existsSync(candidate)) return candidate;
    dir = resolve(dir, '..');
  }
  throw new Error('gateway/trusted-documents.json not found');
}

export function readTrustedDocuments(path = trustedDocumentsPath()): TrustedDocuments {
  return trustedDocuments(JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>);
}
