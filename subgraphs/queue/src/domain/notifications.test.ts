import { describe, expect, it } from 'vitest';
import { documentsSubmittedMessage, overrideRejectedMessage, slaAlertMessage, slaAlertRecipients } from './notifications.js';

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
    expect(slaAlertMessage('BREACHED', due)).toBe('Review missed its deadline (2026-03-02 13:00 UTC)');
    expect(slaAlertMessage('WARNING', due)).toBe('Review due at 2026-03-02 13:00 UTC');
    expect(slaAlertMessage('ESCALATED', due)).toBe('Escalated: review still open past its deadline (2026-03-02 13:00 UTC)');
  });
});

describe('notification messages', () => {
  it('name no ids (the notification links its case) and end with one full stop', () => {
    expect(overrideRejectedMessage('  Income is not verified.  ')).toBe('A senior rejected your override: Income is not verified. The case is back with you.');
    expect(overrideRejectedMessage('Needs a guarantor')).toBe('A senior rejected your override: Needs a guarantor. The case is back with you.');
    expect(documentsSubmittedMessage(new Date('2026-03-02T13:00:59.999Z'))).toBe(
      'The applicant sent the requested documents; the review is due at 2026-03-02 13:00 UTC',
    );
  });
});
