import { type ConstArgumentNode, type DocumentNode, type FieldDefinitionNode, type GraphQLSchema, isInterfaceType, isObjectType, Kind, visit } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

/**
 * `@tandem__requires(permissions: [...])` on a field: the permissions the
 * caller needs (all of the entries, an entry "a|b" meaning either; an empty
 * list means any signed-in caller). It is
 * documentation printed from `@Authorized`, which the owning subgraph enforces;
 * `@composeDirective` carries it into the supergraph for readers and tests.
 */
export const PERMISSION_DIRECTIVE = 'tandem__requires';
export const PERMISSION_DIRECTIVE_LINK = [
  `extend schema @link(url: "https://tandem.dev/auth/v1.0", import: [{ name: "@requires", as: "@${PERMISSION_DIRECTIVE}" }])`,
  `  @composeDirective(name: "@${PERMISSION_DIRECTIVE}")`,
  '',
  `"""The permissions a caller needs for this field: all of the entries, an entry "a|b" meaning either. An empty list: any signed-in caller. Fields without it are open."""`,
  `directive @${PERMISSION_DIRECTIVE}(permissions: [String!]!) on FIELD_DEFINITION`,
].join('\n');

type Roles = readonly string[];

/**
 * "Type.field" → the roles its `@Authorized` declared, for the fields of this
 * schema only. Read from type-graphql's metadata after `buildSchema` (which
 * resolves class-level @Authorized and field resolvers into each field's roles).
 */
// biome-ignore lint/complexity/noBannedTypes: type-graphql takes classes
export function declaredPermissions(resolvers: readonly Function[], schema: GraphQLSchema): Map<string, Roles> {
  const storage = getMetadataStorage();
  const declared = new Map<string, Roles>();
  // biome-ignore lint/complexity/noBannedTypes: type-graphql takes classes
  const own = (target: Function) => resolvers.includes(target);
  const roots: [string | undefined, typeof storage.queries][] = [
    [schema.getQueryType()?.name, storage.queries],
    [schema.getMutationType()?.name, storage.mutations],
    [schema.getSubscriptionType()?.name, storage.subscriptions],
  ];
  for (const [rootName, defs] of roots) {
    if (!rootName) continue;
    for (const def of defs) if (own(def.target) && def.roles) declared.set(`${rootName}.${def.schemaName}`, def.roles);
  }
  // Object and interface types: several classes may share a GraphQL name across subgraphs (entity stubs);
  // take the class whose fields this schema's type actually has.
  for (const typeDef of [...storage.objectTypes, ...storage.interfaceTypes]) {
    const type = schema.getType(typeDef.name);
    if (!type || !(isObjectType(type) || isInterfaceType(type))) continue;
    const fields = type.getFields();
    if (!typeDef.fields?.every((f) => f.schemaName in fields)) continue;
    for (const f of typeDef.fields) if (f.roles) declared.set(`${typeDef.name}.${f.schemaName}`, f.roles);
  }
  for (const def of storage.fieldResolvers) {
    if (!own(def.target) || !def.roles || !def.getObjectType) continue;
    const typeClass = def.getObjectType();
    const typeDef = storage.objectTypes.find((t) => t.target === typeClass) ?? storage.interfaceTypes.find((t) => t.target === typeClass);
    if (typeDef) declared.set(`${typeDef.name}.${def.schemaName}`, def.roles);
  }
  return declared;
}

function permissionDirective(roles: Roles) {
  const argument: ConstArgumentNode = {
    kind: Kind.ARGUMENT,
    name: { kind: Kind.NAME, value: 'permissions' },
    value: { kind: Kind.LIST, values: roles.map((r) => ({ kind: Kind.STRING, value: String(r) })) },
  };
  return { kind: Kind.DIRECTIVE, name: { kind: Kind.NAME, value: PERMISSION_DIRECTIVE }, arguments: [argument] } as const;
}

/** The printed subgraph SDL with `@tandem__requires` on every field that declares @Authorized. */
// biome-ignore lint/complexity/noBannedTypes: type-graphql takes classes
export function declarePermissions(sdl: DocumentNode, resolvers: readonly Function[], schema: GraphQLSchema): DocumentNode {
  const declared = declaredPermissions(resolvers, schema);
  let typeName = '';
  const enterType = (node: { name: { value: string } }) => {
    typeName = node.name.value;
  };
  return visit(sdl, {
    ObjectTypeDefinition: { enter: enterType },
    ObjectTypeExtension: { enter: enterType },
    InterfaceTypeDefinition: { enter: enterType },
    InterfaceTypeExtension: { enter: enterType },
    FieldDefinition(node: FieldDefinitionNode) {
      const roles = declared.get(`${typeName}.${node.name.value}`);
      if (!roles) return undefined;
      return { ...node, directives: [...(node.directives ?? []), permissionDirective(roles)] };
    },
  });
}
