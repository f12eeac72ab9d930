import { Permission } from '@tandem/platform';
import { describe, expect, it } from 'vitest';
import {
  decideAssign,
  decideComplete,
  decideReassign,
  decideRelease,
  decideReopen,
  decideStart,
  type EntryState,
  MAX_ACTIVE_CASES,
  type QueueActor,
} from './queue-transitions.js';

const analyst: QueueActor = { id: 'ana', permissions: [Permission.QueueView, Permission.DecisionCreate] };
const readonly: QueueActor = { id: 'rob', permissions: [Permission.QueueView] };
const lead: QueueActor = { id: 'lea', permissions: [Permission.QueueView, Permission.QueueAssign, Permission.DecisionCreate] };

const pending: EntryState = { status: 'PENDING', assigneeId: null };
const assignedToAna: EntryState = { status: 'ASSIGNED', assigneeId: 'ana' };
const inProgressAna: EntryState = { status: 'IN_PROGRESS', assigneeId: 'ana' };
const completed: EntryState = { status: 'COMPLETED', assigneeId: 'ana' };

describe('assign', () => {
  it('lets an analyst with decision:create take a pending case', () => {
    expect(decideAssign(pending, analyst, 'ana', 0)).toEqual({ kind: 'apply', change: 'ASSIGNED', to: 'ASSIGNED', assigneeId: 'ana' });
  });
  it('needs decision:create to take a case and queue:assign to give one to someone else', () => {
    expect(decideAssign(pending, readonly, 'rob', 0)).toMatchObject({ kind: 'refuse', refusal: { code: 'FORBIDDEN' } });
    expect(decideAssign(pending, analyst, 'bob', 0)).toMatchObject({
      kind: 'refuse',
      refusal: { code: 'FORBIDDEN', reason: expect.stringContaining('queue:assign') },
    });
    expect(decideAssign(pending, lead, 'bob', 0)).toMatchObject({ kind: 'apply', assigneeId: 'bob' });
  });
  it('refuses a case someone else holds, and is a no-op for the holder', () => {
    expect(decideAssign(assignedToAna, lead, 'lea', 0)).toMatchObject({
      kind: 'refuse',
      refusal: { code: 'CONFLICT', reason: expect.stringContaining('ana') },
    });
    expect(decideAssign(inProgressAna, lead, 'bob', 0)).toMatchObject({ kind: 'refuse', refusal: { code: 'CONFLICT' } });
    expect(decideAssign(assignedToAna, analyst, 'ana', 3)).toEqual({ kind: 'unchanged' });
  });
  it('refuses completed cases', () => {
    expect(decideAssign(completed, analyst, 'ana', 0)).toMatchObject({
      kind: 'refuse',
      refusal: { code: 'CONFLICT', reason: expect.stringContaining('completed') },
    });
  });
  it(`caps an analyst at ${MAX_ACTIVE_CASES} active cases`, () => {
    expect(decideAssign(pending, analyst, 'ana', MAX_ACTIVE_CASES - 1)).toMatchObject({ kind: 'apply' });
    expect(decideAssign(pending, analyst, 'ana', MAX_ACTIVE_CASES)).toMatchObject({
      kind: 'refuse',
      refusal: { code: 'CONFLICT', reason: expect.stringContaining('limit is 5') },
    });
    expect(decideAssign(pending, lead, 'bob', MAX_ACTIVE_CASES)).toMatchObject({ kind: 'refuse', refusal: { reason: expect.stringContaining('Analyst bob') } });
  });
});

describe('start', () => {
  it('moves the assignee’s case to IN_PROGRESS', () => {
    expect(decideStart(assignedToAna, analyst)).toEqual({ kind: 'apply', change: 'STARTED', to: 'IN_PROGRESS', assigneeId: 'ana' });
  });
  it('is refused before assignment, to anyone but the assignee, and after completion', () => {
    expect(decideStart(pending, analyst)).toMatchObject({ kind: 'refuse', refusal: { code: 'CONFLICT' } });
    expect(decideStart(assignedToAna, lead)).toMatchObject({ kind: 'refuse', refusal: { code: 'FORBIDDEN' } });
    expect(decideStart(completed, analyst)).toMatchObject({ kind: 'refuse', refusal: { code: 'CONFLICT' } });
  });
  it('is a no-op when already in progress', () => {
    expect(decideStart(inProgressAna, analyst)).toEqual({ kind: 'unchanged' });
  });
});

describe('release', () => {
  it('returns an assigned or started case to PENDING with nobody on it', () => {
    expect(decideRelease(assignedToAna, analyst, 'need a colleague')).toEqual({ kind: 'apply', change: 'RELEASED', to: 'PENDING', assigneeId: null });
    expect(decideRelease(inProgressAna, analyst, 'out of office')).toMatchObject({ kind: 'apply', to: 'PENDING' });
  });
  it('needs a reason of at least 5 characters, checked first', () => {
    expect(decideRelease(inProgressAna, analyst, '   ok   ')).toMatchObject({ kind: 'refuse', refusal: { code: 'BAD_USER_INPUT' } });
    expect(decideRelease(pending, lead, '')).toMatchObject({ kind: 'refuse', refusal: { code: 'BAD_USER_INPUT' } });
  });
  it('is for the assignee only, and only for held cases', () => {
    expect(decideRelease(assignedToAna, lead, 'reassigning')).toMatchObject({ kind: 'refuse', refusal: { code: 'FORBIDDEN' } });
    expect(decideRelease(pending, analyst, 'nothing here')).toMatchObject({ kind: 'refuse', refusal: { code: 'CONFLICT' } });
    expect(decideRelease(completed, analyst, 'too late now')).toMatchObject({ kind: 'refuse', refusal: { code: 'CONFLICT' } });
  });
});

describe('complete', () => {
  it('closes a case from any open status, once', () => {
    for (const entry of [pending, assignedToAna, inProgressAna]) {
      expect(decideComplete(entry)).toMatchObject({ kind: 'apply', change: 'COMPLETED', to: 'COMPLETED', assigneeId: entry.assigneeId });
    }
    expect(decideComplete(completed)).toEqual({ kind: 'unchanged' });
  });
});

describe('reassign', () => {
  const reason = 'Ana is on leave this week';
  it('moves a held case to another analyst, back to ASSIGNED', () => {
    expect(decideReassign(inProgressAna, lead, 'bob', reason, 2)).toEqual({ kind: 'apply', change: 'REASSIGNED', to: 'ASSIGNED', assigneeId: 'bob' });
    expect(decideReassign(assignedToAna, lead, 'bob', reason, 0)).toMatchObject({ kind: 'apply', assigneeId: 'bob' });
  });
  it('needs a reason, queue:assign, a held case, a different analyst and room under the cap', () => {
    expect(decideReassign(inProgressAna, lead, 'bob', ' no ', 0)).toMatchObject({ refusal: { code: 'BAD_USER_INPUT' } });
    expect(decideReassign(inProgressAna, analyst, 'bob', reason, 0)).toMatchObject({ refusal: { code: 'FORBIDDEN' } });
    expect(decideReassign(pending, lead, 'bob', reason, 0)).toMatchObject({ refusal: { code: 'CONFLICT', reason: expect.stringContaining('assign it') } });
    expect(decideReassign(completed, lead, 'bob', reason, 0)).toMatchObject({ refusal: { code: 'CONFLICT' } });
    expect(decideReassign(inProgressAna, lead, 'ana', reason, 0)).toMatchObject({ refusal: { code: 'CONFLICT' } });
    expect(decideReassign(inProgressAna, lead, 'bob', reason, MAX_ACTIVE_CASES)).toMatchObject({
      refusal: { code: 'CONFLICT', reason: expect.stringContaining('limit is 5') },
    });
  });
});

describe('reopen (override rejected)', () => {
  it('puts the case back in review with its analyst', () => {
    expect(decideReopen(inProgressAna)).toEqual({ kind: 'apply', change: 'REOPENED', to: 'IN_PROGRESS', assigneeId: 'ana' });
    expect(decideReopen(assignedToAna)).toMatchObject({ kind: 'apply', to: 'IN_PROGRESS', assigneeId: 'ana' });
  });
  it('leaves an unheld case pending and refuses a completed one', () => {
    expect(decideReopen(pending)).toEqual({ kind: 'unchanged' });
    expect(decideReopen(completed)).toMatchObject({ kind: 'refuse', refusal: { code: 'CONFLICT' } });
  });
});
