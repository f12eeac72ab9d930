import { describe, expect, it } from 'vitest';
import { answerMediaType } from './cached-answer.js';

describe('answerMediaType', () => {
  it('answers as Apollo would for the Accept headers clients send', () => {
    expect(answerMediaType(undefined)).toBe('application/json; charset=utf-8');
    expect(answerMediaType('application/json')).toBe('application/json; charset=utf-8');
    expect(answerMediaType('*/*')).toBe('application/json; charset=utf-8');
    // urql's default: the GraphQL-over-HTTP type first.
    expect(answerMediaType('application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed')).toBe(
      'application/graphql-response+json; charset=utf-8',
    );
    expect(answerMediaType('application/graphql+json, application/json')).toBe('application/json; charset=utf-8');
  });

  it('leaves negotiation with quality values, and types it cannot answer with, to Apollo', () => {
    expect(answerMediaType('application/json;q=0.5, application/graphql-response+json')).toBeUndefined();
    expect(answerMediaType('text/html')).toBeUndefined();
  });
});
