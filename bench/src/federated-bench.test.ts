import { readSupergraph } from '@tandem/gateway';
import { buildASTSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { FEDERATED_QUERY, isCompleteAnswer } from './federated-bench.js';

describe('federated side-by-side bench', () => {
  it('sends a query valid against the composed supergraph that spans four subgraphs', () => {
    const supergraph = readSupergraph();
    const schema = buildASTSchema(parse(supergraph), { assumeValidSDL: true });
    expect(validate(schema, parse(FEDERATED_QUERY))).toEqual([]);
    // The owners of the fields it selects: queue (reviewQueue), applications (loan), scoring, decisions.
    const owners = (type: string, field: string) =>
      new RegExp(`type ${type}[^{]*\\{[^}]*\\n\\s*${field}[^\\n]*@join__field\\(graph: (\\w+)`).exec(supergraph)?.[1];
    expect(
      new Set([owners('Query', 'reviewQueue'), owners('Application', 'loan'), owners('Application', 'scoring'), owners('Application', 'decisions')]),
    ).toEqual(new Set(['QUEUE', 'APPLICATIONS', 'SCORING', 'DECISIONS']));
  });

  it('counts only complete answers: errors, empty pages or unresolved entities are failures', () => {
    const node = { application: { scoring: { score: 600 }, decisions: [] } };
    expect(isCompleteAnswer({ data: { reviewQueue: { edges: [{ node }] } } })).toBe(true);
    expect(isCompleteAnswer({ data: { reviewQueue: { edges: [] } } })).toBe(false);
    expect(isCompleteAnswer({ data: { reviewQueue: { edges: [{ node }] } }, errors: [{}] })).toBe(false);
    expect(isCompleteAnswer({ data: { reviewQueue: { edges: [{ node: { application: { scoring: null, decisions: [] } } }] } } })).toBe(false);
    expect(isCompleteAnswer({ data: null })).toBe(false);
  });
});
