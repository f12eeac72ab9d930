import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  print,
  type SelectionSetNode,
  visit,
} from 'graphql';
import type { SubscriptionSource } from './subscription-catalogue.js';

/**
 * Turns a subscription's selection into (a) the plain fields to copy from the
 * event and (b) one query that fetches every entity field it selects, so the
 * whole payload costs one trip through the query planner per event.
 */
export interface SubscriptionPlan {
  rootField: string;
  rootAlias: string;
  /** alias → field name, for plain fields (and __typename). */
  plainFields: { alias: string; field: string }[];
  /** The entity query, if the selection needs one, with the names of its id variables by alias. */
  entityQuery?: { text: string; idVariables: { alias: string; variable: string; entity: string }[]; usedVariables: string[] };
}

function flattenFields(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, typename: string): FieldNode[] {
  const out: FieldNode[] = [];
  for (const sel of selectionSet.selections) {
    if (sel.kind === Kind.FIELD) out.push(sel);
    else if (sel.kind === Kind.INLINE_FRAGMENT) {
      if (!sel.typeCondition || sel.typeCondition.name.value === typename) out.push(...flattenFields(sel.selectionSet, fragments, typename));
    } else {
      const frag = fragments.get(sel.name.value);
      if (frag && frag.typeCondition.name.value === typename) out.push(...flattenFields(frag.selectionSet, fragments, typename));
    }
  }
  return out;
}

/** Fragments (transitively) and variables used by a set of printed selections. */
function usedNames(nodes: readonly (FieldNode | FragmentDefinitionNode)[], fragments: Map<string, FragmentDefinitionNode>) {
  const frags = new Set<string>();
  const vars = new Set<string>();
  const pending = [...nodes];
  while (pending.length) {
    const node = pending.pop()!;
    visit(node, {
      FragmentSpread(n) {
        if (!frags.has(n.name.value)) {
          frags.add(n.name.value);
          const def = fragments.get(n.name.value);
          if (def) pending.push(def);
        }
      },
      Variable(n) {
        vars.add(n.name.value);
      },
    });
  }
  return { frags, vars };
}

/** The operation's subscription root field (the first non-__typename field), or an error message. */
function rootOf(document: DocumentNode, operationName: string | null | undefined) {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const op = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!op) throw new Error('operation not found');
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const root = op.selectionSet.selections.find((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value !== '__typename');
  if (!root) throw new Error('subscription has no root field');
  return { op, fragments, root };
}

/** Which subscription field an operation asks for, so its source can be looked up before planning. */
export function subscriptionRootField(document: DocumentNode, operationName: string | null | undefined): string {
  return rootOf(document, operationName).root.name.value;
}

export function planSubscription(document: DocumentNode, operationName: string | null | undefined, source: SubscriptionSource): SubscriptionPlan {
  const { op, fragments, root } = rootOf(document, operationName);
  const payloadFields = root.selectionSet ? flattenFields(root.selectionSet, fragments, source.typename) : [];

  const plainFields: SubscriptionPlan['plainFields'] = [];
  const entityParts: string[] = [];
  const idVariables: NonNullable<SubscriptionPlan['entityQuery']>['idVariables'] = [];
  const entityNodes: FieldNode[] = [];
  for (const f of payloadFields) {
    const alias = f.alias?.value ?? f.name.value;
    const entity = source.entities?.[f.name.value];
    if (!entity) {
      plainFields.push({ alias, field: f.name.value });
      continue;
    }
    const variable = `__id${idVariables.length}`;
    idVariables.push({ alias, variable, entity: f.name.value });
    entityNodes.push(f);
    const directives = f.directives?.length ? ` ${f.directives.map(print).join(' ')}` : '';
    entityParts.push(`${alias}: ${entity.lookup}(id: $${variable})${directives} ${f.selectionSet ? print(f.selectionSet) : ''}`);
  }
  if (!entityParts.length) return { rootField: root.name.value, rootAlias: root.alias?.value ?? root.name.value, plainFields };

  const { frags, vars } = usedNames(entityNodes, fragments);
  const varDefs = [
    ...idVariables.map((v) => `$${v.variable}: ID!`),
    ...(op.variableDefinitions ?? []).filter((d) => vars.has(d.variable.name.value)).map(print),
  ];
  const fragmentText = [...frags]
    .map((name) => fragments.get(name))
    .filter(Boolean)
    .map((f) => print(f!))
    .join('\n');
  return {
    rootField: root.name.value,
    rootAlias: root.alias?.value ?? root.name.value,
    plainFields,
    entityQuery: {
      text: `query SubscriptionPayload(${varDefs.join(', ')}) {\n${entityParts.join('\n')}\n}\n${fragmentText}`,
      idVariables,
      usedVariables: [...vars],
    },
  };
}
