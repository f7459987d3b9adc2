/**
 * Builders for storage tests: valid NewRecords with sensible defaults, and a capturing logger.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../src/logger';
import type { ConversationScope, NewRecord } from '../../src/storage/contract';

export type NewRecordOverrides = Partial<Omit<NewRecord, 'scope'>> & { scope?: Partial<ConversationScope> };

export function newRecord(overrides: NewRecordOverrides = {}): NewRecord {
  const { scope, ...rest } = overrides;
  return {
    idempotencyKey: randomUUID(),
    kind: 'decision',
    scope: {
      tenantId: 'tenant-a',
      conversationId: 'a:personal-chat-1',
      conversationKind: 'personal',
      ...scope,
    },
    decidedBy: { aadObjectId: '00000000-0000-0000-0000-00000000000a', name: 'Pat Practitioner' },
    rulePackVersion: '2026.1',
    ruleId: 'R-consent-obtained',
    decision: 'share_with_consent',
    answers: { q_consent: 'obtained', q_purpose: 'safeguarding' },
    consentStatus: 'sought_obtained',
    recipientAgency: 'childrens_social_care',
    recipientRole: 'duty social worker',
    channel: 'secure_system',
    informationOutline: 'Attendance concerns and home visit summary',
    subjectInformed: 'yes',
    caseReference: 'CS-1001',
    openFollowUps: [],
    ...rest,
  };
}

export interface LoggedLine {
  level: 'info' | 'warn' | 'error';
  details: Record<string, unknown>;
  message: string;
}

/** A Logger that remembers what it was told (tests assert on it and that nothing sensitive leaks). */
export function capturingLogger(): Logger & { lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  return {
    lines,
    info: (details, message) => lines.push({ level: 'info', details, message }),
    warn: (details, message) => lines.push({ level: 'warn', details, message }),
    error: (details, message) => lines.push({ level: 'error', details, message }),
  };
}

/** A clock that moves forward one minute per reading, so records get distinct, ordered times. */
export function steppingClock(start = Date.parse('2026-11-01T09:00:00.000Z'), stepMs = 60_000): () => Date {
  let t = start;
  return () => {
    const now = new Date(t);
    t += stepMs;
    return now;
  };
}
