import { describe, expect, it } from 'vitest';
import { slaAlertMessage, slaAlertRecipients } from './notifications.js';

describe('SLA alert recipients', () => {
  it('tells the assignee of a warning and a breach, the seniors of an escalation', () => {
    expect(slaAlertRecipients('WARNING', 'ana', ['lea', 'sam'])).toEqual(['ana']);
    expect(slaAlertRecipients('BREACHED', 'ana', ['lea'])).toEqual(['ana']);
    expect(slaAlertRecipients('ESCALATED', 'ana', ['lea', 'sam', 'lea'])).toEqual(['lea', 'sam']);
  });
  it('tells the seniors when nobody holds the case, and nobody when there are none', () => {
    expect(slaAlertRecipients('WARNING', null, ['lea'])).toEqual(['lea']);
    expect(slaAlertRecipients('BREACHED', undefined, [])).toEqual([]);
  });
  it('says what happened and when it was due', () => {
    const due = new Date('2026-03-02T13:00:00Z');
    expect(slaAlertMessage('BREACHED', 'app-1', due)).toBe('Review of application app-1 missed its deadline (2026-03-02T13:00:00.000Z)');
    expect(slaAlertMessage('ESCALATED', 'app-1', due)).toMatch(/^Escalated/);
  });
});
