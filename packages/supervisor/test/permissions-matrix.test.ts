import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { meetsRequirements, ROLE_PERMISSIONS, type Role } from '@tandem/platform';
import {
  buildASTSchema,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type GraphQLInputType,
  type GraphQLSchema,
  getNamedType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  parse,
  print,
  type TypeNode,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/repo-paths.js';
import type { RunningTandem } from '../src/tandem.js';
import { gql, login, partnerToken, wsClient } from './graph-client.js';
import { startTestTandem } from './test-tandem.js';

/**
 * Every root operation of the composed supergraph against every role, through
 * the real gateway: a field without a declared permission fails here, and so
 * does one whose subgraph (or the gateway, for subscriptions) enforces
 * something other than what the schema declares.
 */

/** Open to anonymous callers: they establish or end a session, and their arguments are the credentials. */
const PUBLIC_OPERATIONS = new Set(['Mutation.login', 'Mutation.refreshToken', 'Mutation.logout']);
/** Declared and enforced, plus a rule the schema cannot say: `me` is a user's profile, API clients have none. */
const FORBIDDEN_ALTHOUGH_PERMITTED: Record<string, Role[]> = { 'Query.me': ['api_consumer'] };

interface RootOperation {
  key: string;
  kind: 'query' | 'mutation' | 'subscription';
  field: FieldDefinitionNode;
  /** Undefined: the field declares no permission. */
  permissions?: string[];
}

function requiredPermissions(directives: readonly ConstDirectiveNode[] | undefined): string[] | undefined {
  const d = directives?.find((x) => x.name.value === 'tandem__requires');
  if (!d) return undefined;
  const arg = d.arguments?.find((a) => a.name.value === 'permissions');
  if (arg?.value.kind !== Kind.LIST) return [];
  return arg.value.values.map((v) => (v.kind === Kind.STRING ? v.value : ''));
}

function rootOperations(supergraph: DocumentNode): RootOperation[] {
  const kinds = { Query: 'query', Mutation: 'mutation', Subscription: 'subscription' } as const;
  const ops: RootOperation[] = [];
  for (const def of supergraph.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION || !(def.name.value in kinds)) continue;
    for (const field of def.fields ?? []) {
      // @inaccessible fields are not in the public graph (clientCredentialsToken is behind /oauth/token).
      if (field.directives?.some((d) => d.name.value === 'inaccessible')) continue;
      ops.push({
        key: `${def.name.value}.${field.name.value}`,
        kind: kinds[def.name.value as keyof typeof kinds],
        field,
        permissions: requiredPermissions(field.directives),
      });
    }
  }
  return ops;
}

/** A value of the right GraphQL type, so the operation passes validation and reaches the field's authorisation. */
function sampleValue(type: GraphQLInputType, id = '00000000-0000-4000-8000-000000000000'): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType, id);
  if (isListType(type)) return [sampleValue(type.ofType, id)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) if (isNonNullType(f.type)) value[f.name] = sampleValue(f.type, id);
    return value;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
        return 1;
      case 'Float':
        return 1;
      case 'Boolean':
        return false;
      case 'ID':
        return id;
      case 'Money':
        return '1.00';
      case 'Date':
        return '2026-01-01';
      case 'DateTime':
        return '2026-01-01T00:00:00.000Z';
      default:
        return 'x';
    }
  }
  throw new Error(`no sample for ${String(type)}`);
}

function typeText(t: TypeNode): string {
  return print(t);
}

/** `query($a: T!) { field(a: $a) { __typename } }` with only the required arguments. */
function operationFor(op: RootOperation, api: GraphQLSchema, id?: string): { query: string; variables: Record<string, unknown> } {
  const root = op.kind === 'query' ? api.getQueryType() : op.kind === 'mutation' ? api.getMutationType() : api.getSubscriptionType();
  const field = root!.getFields()[op.field.name.value];
  const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  const astArgs = new Map((op.field.arguments ?? []).map((a) => [a.name.value, a.type]));
  const variables = Object.fromEntries(required.map((a) => [a.name, sampleValue(a.type, id)]));
  const declarations = required.map((a) => `$${a.name}: ${typeText(astArgs.get(a.name)!)}`).join(', ');
  const args = required.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
  const query = `${op.kind}${declarations ? `(${declarations})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`;
  return { query, variables };
}

type Outcome = { codes: string[] };

async function runSubscription(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<Outcome> {
  const client = wsClient(url, token);
  try {
    return await new Promise<Outcome>((done) => {
      // An accepted subscription stays open: no error within a moment means it was allowed.
      const timer = setTimeout(() => done({ codes: [] }), 1_500);
      client.subscribe(
        { query, variables },
        {
          next: (v) => {
            if (v.errors?.length) {
              clearTimeout(timer);
              done({ codes: v.errors.map((e) => String(e.extensions?.code)) });
            }
          },
          error: (e) => {
            clearTimeout(timer);
            const errors = Array.isArray(e) ? e : [e];
            done({ codes: errors.map((x: { extensions?: { code?: string } }) => String(x?.extensions?.code ?? 'SOCKET_ERROR')) });
          },
          complete: () => {},
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

const ROLES = Object.keys(ROLE_PERMISSIONS) as Role[];
const ROLE_LOGINS: Record<Exclude<Role, 'api_consumer'>, string> = {
  admin: 'admin@demo.test',
  senior_analyst: 'senior@demo.test',
  analyst: 'analyst@demo.test',
  readonly: 'readonly@demo.test',
};

describe('permissions matrix: every root operation × every role, through the gateway', async () => {
  const supergraph = parse(await readFile(resolve(REPO_ROOT, 'schema/supergraph.graphql'), 'utf8'));
  const operations = rootOperations(supergraph);
  let tandem: RunningTandem;
  let url: string;
  let api: GraphQLSchema;
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    tandem = await startTestTandem();
    url = tandem.graphqlUrl;
    for (const [role, email] of Object.entries(ROLE_LOGINS)) tokens[role as Role] = await login(url, email);
    tokens.api_consumer = await partnerToken(url.replace(/\/graphql$/, ''));
    // The public (API) schema, without join/link machinery, to type the sample arguments.
    api = buildASTSchema(supergraph, { assumeValidSDL: true });
  }, 60_000);
  afterAll(async () => tandem?.stop());

  it('finds the root operations, and every one declares a permission unless listed as public', () => {
    expect(operations.length).toBeGreaterThan(15);
    const undeclared = operations.filter((op) => !op.permissions && !PUBLIC_OPERATIONS.has(op.key)).map((op) => op.key);
    expect(undeclared, 'these root fields declare no permission: add @Authorized(Permission.X)').toEqual([]);
    for (const key of PUBLIC_OPERATIONS) expect(operations.find((op) => op.key === key)?.permissions, `${key} is public`).toBeUndefined();
  });

  it('answers FORBIDDEN exactly when the role lacks the permission, and UNAUTHENTICATED to anonymous callers', async () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const op of operations) {
      if (!op.permissions) continue;
      const { query, variables } = operationFor(op, api);
      for (const role of ROLES) {
        const granted = ROLE_PERMISSIONS[role] as string[];
        const allowed = meetsRequirements(granted, op.permissions) && !FORBIDDEN_ALTHOUGH_PERMITTED[op.key]?.includes(role);
        const outcome =
          op.kind === 'subscription'
            ? await runSubscription(url, tokens[role], query, variables)
            : { codes: ((await gql(url, query, variables, tokens[role])).body.errors ?? []).map((e) => String(e.extensions?.code)) };
        checked++;
        const forbidden = outcome.codes.includes('FORBIDDEN');
        if (outcome.codes.includes('GRAPHQL_VALIDATION_FAILED') || outcome.codes.includes('UNAUTHENTICATED')) {
          mismatches.push(`${op.key} as ${role}: never reached authorisation (${outcome.codes.join(',')})`);
        } else if (forbidden !== !allowed) {
          mismatches.push(`${op.key} as ${role}: expected ${allowed ? 'allowed' : 'FORBIDDEN'}, got [${outcome.codes.join(',')}]`);
        }
      }
      if (op.kind !== 'subscription') {
        const anonymous = await gql(url, query, variables);
        const codes = (anonymous.body.errors ?? []).map((e) => String(e.extensions?.code));
        if (!codes.includes('UNAUTHENTICATED')) mismatches.push(`${op.key} anonymously: expected UNAUTHENTICATED, got [${codes.join(',')}]`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(operations.filter((op) => op.permissions).length * ROLES.length);
  }, 120_000);

  // Run last: as admin, the sample mutations really run (and are refused or applied).
  it('answers bad input with a code, never an internal error: every query and mutation, with ids that exist nowhere and ids that are not ids', async () => {
    const internal: string[] = [];
    for (const op of operations) {
      if (op.kind === 'subscription' || op.key === 'Mutation.logout') continue;
      for (const id of ['00000000-0000-4000-8000-000000000000', 'not-an-id', '']) {
        const { query, variables } = operationFor(op, api, id);
        const { body } = await gql(url, query, variables, tokens.admin);
        const codes = (body.errors ?? []).map((e) => String(e.extensions?.code));
        if (codes.some((c) => c === 'INTERNAL_SERVER_ERROR' || c === 'undefined'))
          internal.push(`${op.key} with id ${JSON.stringify(id)}: ${JSON.stringify(body.errors)}`);
      }
    }
    expect(internal).toEqual([]);
  }, 180_000);
});
