import { type DocumentNode, type FragmentDefinitionNode, Kind, type SelectionSetNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as operations from './operations';

/**
 * The gateway refuses documents deeper than its limit (GATEWAY_MAX_DEPTH, default 8, in
 * packages/platform/src/config/gateway-limits.ts) before planning them. graphql-armor counts
 * every field level, leaves included, and (without flattenFragments) two levels per fragment
 * spread: checked against the running gateway, `node { ...F }` with F = `application { id }`
 * puts id three levels below node.
 */
const GATEWAY_MAX_DEPTH = 8;

export function operationDepth(document: DocumentNode): number {
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const depthOf = (set: SelectionSetNode | undefined, parent: number): number => {
    let depth = parent;
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        depth = Math.max(depth, selection.selectionSet ? depthOf(selection.selectionSet, parent + 1) : parent + 1);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        depth = Math.max(depth, depthOf(selection.selectionSet, parent + 1));
      } else {
        // The spread is a level, and the fragment's fields one below it.
        depth = Math.max(depth, depthOf(fragments.get(selection.name.value)?.selectionSet, parent + 2));
      }
    }
    return depth;
  };
  return Math.max(...document.definitions.map((d) => (d.kind === Kind.OPERATION_DEFINITION ? depthOf(d.selectionSet, 0) : 0)));
}

describe('operation depth', () => {
  it('counts fields and fragment spreads the way the gateway does', () => {
    expect(operationDepth(operations.UNREAD_NOTIFICATION_COUNT)).toBe(1);
    // me (1) → ...UserFields (a spread costs two levels: 2, 3) → tenant (4) → id (5)
    expect(operationDepth(operations.ME)).toBe(5);
  });

  it.each(Object.entries(operations))('%s stays within the gateway depth limit', (_name, document) => {
    expect(operationDepth(document)).toBeLessThanOrEqual(GATEWAY_MAX_DEPTH);
  });
});
