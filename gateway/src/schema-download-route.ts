import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Caller, PERMISSION_DIRECTIVE, Permission, sendJson } from '@tandem/platform';
import { type ConstDirectiveNode, type GraphQLSchema, Kind, parse, print, printSchema, visit } from 'graphql';

/**
 * The public schema as SDL, with each field's `@tandem__requires` from the
 * supergraph, for BI tools and partners: the API schema (no join/link
 * machinery, no @inaccessible parts, no internal URLs), not the supergraph.
 */
export function publicSchemaSdl(apiSchema: GraphQLSchema, supergraphSdl: string): string {
  const requirements = new Map<string, ConstDirectiveNode>();
  for (const def of parse(supergraphSdl).definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    for (const field of def.fields ?? []) {
      const d = field.directives?.find((x) => x.name.value === PERMISSION_DIRECTIVE);
      if (d) requirements.set(`${def.name.value}.${field.name.value}`, d);
    }
  }
  let typeName = '';
  const enter = (node: { name: { value: string } }) => {
    typeName = node.name.value;
  };
  const annotated = visit(parse(printSchema(apiSchema)), {
    ObjectTypeDefinition: { enter },
    InterfaceTypeDefinition: { enter },
    FieldDefinition(node) {
      const d = requirements.get(`${typeName}.${node.name.value}`);
      return d ? { ...node, directives: [...(node.directives ?? []), d] } : undefined;
    },
  });
  const definition = `"""The permissions a caller needs for this field: all of the entries, an entry "a|b" meaning either. An empty list: any signed-in caller. Fields without it are open."""\ndirective @${PERMISSION_DIRECTIVE}(permissions: [String!]!) on FIELD_DEFINITION`;
  return `${definition}\n\n${print(annotated)}\n`;
}

/** GET /schema.graphql with a bearer token that carries analytics:view. */
export function schemaDownloadRoute(
  apiSchema: () => GraphQLSchema | undefined,
  supergraphSdl: string,
  callerOf: (req: IncomingMessage) => Promise<Caller | null>,
) {
  let sdl: string | undefined;
  return async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'use GET' }, { allow: 'GET, HEAD' });
    const caller = await callerOf(req);
    if (!caller || caller.kind === 'anonymous') {
      return sendJson(res, 401, { error: 'Send a bearer token of a user with analytics:view' }, { 'www-authenticate': 'Bearer realm="tandem"' });
    }
    if (!caller.permissions.includes(Permission.AnalyticsView)) return sendJson(res, 403, { error: 'Downloading the schema requires analytics:view' });
    const schema = apiSchema();
    if (!schema) return sendJson(res, 503, { error: 'schema not loaded yet' });
    sdl ??= publicSchemaSdl(schema, supergraphSdl);
    res.writeHead(200, {
      'content-type': 'application/graphql; charset=utf-8',
      'content-disposition': 'attachment; filename="tandem.graphql"',
      'content-length': Buffer.byteLength(sdl),
      'cache-control': 'private, no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : sdl);
  };
}
