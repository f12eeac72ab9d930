import { describe, expect, it } from 'vitest';
import { isNewerScore, parseInstant } from './projections.js';

const t = (iso: string) => new Date(iso);

describe('isNewerScore', () => {
  it('keeps the later score', () => {
    const held = { scoredAt: t('2026-01-01T10:00:00Z') };
    expect(isNewerScore(null, t('2026-01-01T09:00:00Z'))).toBe(true);
    expect(isNewerScore(held, t('2026-01-01T11:00:00Z'))).toBe(true);
    expect(isNewerScore(held, t('2026-01-01T09:00:00Z'))).toBe(false);
  });
});

describe('parseInstant', () => {
  it('parses ISO strings and falls back on missing or garbled ones', () => {
    const fallback = t('2000-01-01T00:00:00Z');
    expect(parseInstant('2026-01-01T10:00:00Z', fallback).toISOString()).toBe('2026-01-01T10:00:00.000Z');
    expect(parseInstant(null, fallback)).toBe(fallback);
    expect(parseInstant('not a date', fallback)).toBe(fallback);
  });
});
