import 'reflect-metadata';
import { type ClassType, Directive, Field, Int, ObjectType } from 'type-graphql';
import { badInput } from '../errors/errors.js';

/** Relay page info, shared by every connection in the graph. */
@ObjectType({ description: 'Relay cursor-pagination state' })
@Directive('@shareable')
export class PageInfo {
  @Field()
  hasNextPage!: boolean;
  @Field()
  hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true })
  startCursor?: string | null;
  @Field(() => String, { nullable: true })
  endCursor?: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}
export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount: number;
}

export const MAX_PAGE_SIZE = 100;

/** Cursors are opaque to callers: base64url of an offset in the requested order. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}
export function decodeCursor(cursor: string): number {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^o:(\d+)$/.exec(raw);
  if (!m) throw badInput('Invalid cursor', { cursor });
  return Number(m[1]);
}

export function pageWindow(first: number | undefined | null, after: string | undefined | null): { limit: number; offset: number } {
  const limit = first ?? 20;
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE_SIZE) throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}`);
  return { limit, offset: after ? decodeCursor(after) + 1 : 0 };
}

export function toConnection<T>(items: T[], totalCount: number, offset: number): Connection<T> {
  const edges = items.map((node, i) => ({ cursor: encodeCursor(offset + i), node }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: offset + items.length < totalCount,
      hasPreviousPage: offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** Declares `<Name>Edge` and `<Name>Connection` object types for a node type. */
export function ConnectionType<T extends object>(name: string, nodeType: ClassType<T>) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field()
    cursor!: string;
    @Field(() => nodeType)
    node!: T;
  }
  @ObjectType(`${name}Connection`)
  class ConnectionClass {
    @Field(() => [EdgeType])
    edges!: EdgeType[];
    @Field(() => PageInfo)
    pageInfo!: PageInfo;
    @Field(() => Int)
    totalCount!: number;
  }
  return ConnectionClass;
}
