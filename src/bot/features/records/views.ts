/**
 * View models for the records cards (templates cards/records-*.json, expanded by renderCard).
 *
 * Record text was typed by practitioners, so before it goes into a card it is defused: a "${…}"
 * could otherwise be read as a template expression, and [links](…) or <tags> as markup.
 */
import { DECISIONS } from '../../../domain/contract';
import { rulePackIdOf, type StoredRecord } from '../../../storage/contract';
import { renderCard, type AdaptiveCard } from '../../cards/templates';
import { VERBS } from '../../kit/verbs';
import { sameId } from '../../kit/ids';
import { CORRECTABLE_FIELD_TITLES } from '../../kit/choices';
import { describeFilter, type RecordFilter } from './filters';
import { DECISION_LABELS, FOLLOW_UP_LABELS, KIND_LABELS, agencyLabel, channelLabel, consentLabel } from './labels';

/** Neutralises template expressions and markup in text that came from people. */
export function displayText(text: string, max = 120): string {
  const clipped = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return clipped
    .replace(/\$\{/g, '$\u200B{')
    .replace(/\[/g, '(')
    .replace(/\]/g, ')')
    .replace(/[<>]/g, '')
    .replace(/[\r\n]+/g, ' ');
}

export function whenText(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

export interface RecordRowView {
  when: string;
  outcome: string;
  sharedWith: string;
  by: string;
  followUps: string;
}

export function rowView(r: StoredRecord): RecordRowView {
  const decision = DECISION_LABELS[r.decision] ?? r.decision;
  const kind =
    r.kind === 'decision' ? '' : `↳ ${KIND_LABELS[r.kind] ?? r.kind}${r.parentId ? ` (of ${r.parentId})` : ''}: `;
  // A correction says what it corrects and why, beside the original it is listed with.
  const corrects =
    r.kind === 'correction'
      ? ` · corrects ${(r.correctedFields ?? []).map((f) => CORRECTABLE_FIELD_TITLES[f] ?? f).join(', ') || '—'}${r.correctionReason ? ` — “${displayText(r.correctionReason, 80)}”` : ''}`
      : '';
  const agency = agencyLabel(r.recipientAgency);
  const recipient = agency ? `${agency}${r.recipientRole ? ` — ${displayText(r.recipientRole, 60)}` : ''}` : '—';
  const channel = channelLabel(r.channel);
  return {
    when: `${whenText(r.recordedAt)} · ${r.id}`,
    outcome: `${kind}**${decision}** · ${consentLabel(r.consentStatus)}${corrects} · rules ${rulePackIdOf(r)} ${r.rulePackVersion}`,
    sharedWith: channel ? `${recipient} · ${channel}` : recipient,
    by: displayText(r.decidedBy.name || 'Unknown', 60),
    followUps: r.openFollowUps.length ? r.openFollowUps.map((c) => FOLLOW_UP_LABELS[c] ?? c).join('; ') : 'None',
  };
}

export interface ListCardModel {
  title: string;
  filter: RecordFilter;
  page: number;
  pageSize: number;
  items: StoredRecord[];
  /** Signed action data for each button (absent: no such button). */
  nextState?: string;
  prevState?: string;
  prevIsFirst?: boolean;
  currentState: string;
  /** The same list from its first page (for Apply and Export, which do not need the position). */
  queryState: string;
  canExport: boolean;
  /** "My decisions": the viewer's Entra id, so their own decisions can be chosen for a correction. */
  correctableBy?: string;
  /** In a channel or group chat: the Teams user id (MRI) the list is privately shown to. */
  privateTo?: string;
}

export const OUTCOME_CHOICES = DECISIONS.map((code) => ({ title: DECISION_LABELS[code], value: code }));

export function listCard(m: ListCardModel): AdaptiveCard {
  const first = (m.page - 1) * m.pageSize + 1;
  const correctable = m.items.filter(
    (r) => r.kind === 'decision' && m.correctableBy !== undefined && sameId(r.decidedBy.aadObjectId, m.correctableBy),
  );
  const card = renderCard('records-list', {
    title: m.title,
    filterText: displayText(describeFilter(m.filter), 400),
    pageText: m.items.length
      ? `Page ${m.page} · rows ${first}–${first + m.items.length - 1}, newest first (times in UTC)`
      : m.page > 1
        ? `Page ${m.page} · no more decisions`
        : 'No decisions match.',
    hasRows: m.items.length > 0,
    rows: m.items.map(rowView),
    // "My decisions": one compact chooser for the viewer's own decisions (a button per row would
    // make a full page of rows too big for a Teams message). Re-checked against the record on click.
    hasCorrectable: correctable.length > 0,
    correctChoices: correctable.map((r) => ({ title: `${r.id} · ${whenText(r.recordedAt)}`, value: r.id })),
    correctData: { verb: VERBS.correctionOpen },
    hasPrivateNote: Boolean(m.privateTo),
    inputs: {
      outcome: m.filter.outcome ?? '',
      from: m.filter.from ?? '',
      to: m.filter.to ?? '',
      caseRef: m.filter.caseRef ? displayText(m.filter.caseRef, 200) : '',
    },
    outcomeChoices: OUTCOME_CHOICES,
    hasPrev: Boolean(m.prevState),
    prevTitle: m.prevIsFirst ? 'First page' : 'Previous',
    prevData: { verb: VERBS.recordsPage, state: m.prevState ?? '' },
    hasNext: Boolean(m.nextState),
    nextData: { verb: VERBS.recordsPage, state: m.nextState ?? '' },
    applyData: { verb: VERBS.recordsApply, state: m.queryState },
    canExport: m.canExport,
    exportData: { verb: VERBS.recordsExport, state: m.queryState },
    hasRefresh: Boolean(m.privateTo),
    refreshData: { verb: VERBS.recordsPage, state: m.currentState },
    refreshUser: m.privateTo ?? '',
  });
  return withoutNullRefresh(card);
}

/** Posted in a channel or group chat: Teams refreshes it into the list for the asker only (a user-specific view). */
export function privateViewCard(title: string, state: string, userMri: string): AdaptiveCard {
  return renderCard('records-private', {
    title,
    refreshData: { verb: VERBS.recordsPage, state },
    refreshUser: userMri,
  });
}

export function exportCard(opts: {
  url: string;
  filter: RecordFilter;
  expiresAt: Date;
  backState?: string;
}): AdaptiveCard {
  return renderCard('records-export', {
    url: opts.url,
    filterText: displayText(describeFilter(opts.filter), 400),
    expiresText: `${whenText(opts.expiresAt.toISOString())} UTC`,
    hasBack: Boolean(opts.backState),
    backData: { verb: VERBS.recordsPage, state: opts.backState ?? '' },
  });
}

export function managersCard(rows: Array<{ id: string; source: string }>): AdaptiveCard {
  return renderCard('records-managers', {
    hasRows: rows.length > 0,
    rows,
  });
}

/** `$when` on an object property leaves `null` behind; drop it rather than send `"refresh": null`. */
function withoutNullRefresh(card: AdaptiveCard): AdaptiveCard {
  if (card.refresh === null) delete card.refresh;
  return card;
}
