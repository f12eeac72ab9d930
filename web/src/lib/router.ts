import { useSyncExternalStore } from 'react';

export type Route = { name: 'queue' } | { name: 'dashboard' } | { name: 'overrides' } | { name: 'case'; applicationId: string };

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const caseMatch = /^\/case\/([^/?#]+)/.exec(path);
  if (caseMatch?.[1]) return { name: 'case', applicationId: decodeURIComponent(caseMatch[1]) };
  if (path.startsWith('/dashboard')) return { name: 'dashboard' };
  if (path.startsWith('/overrides')) return { name: 'overrides' };
  return { name: 'queue' };
}

export const OVERRIDES_PATH = '#/overrides';

export function casePath(applicationId: string): string {
  return `#/case/${encodeURIComponent(applicationId)}`;
}

export function navigate(hash: string): void {
  if (window.location.hash !== hash) window.location.hash = hash;
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(
    subscribe,
    () => window.location.hash,
    () => '',
  );
  return parseHash(hash);
}
