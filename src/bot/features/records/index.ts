/**
 * Records: managers look at recent decisions (filtered, paged), whole cases and CSV exports;
 * every practitioner can list their own decisions; admins grant and revoke the manager role.
 *
 * Access control (src/bot/kit/access.ts) is checked on every command and every card click. The tenant is
 * always the activity's; card data is signed and still only trusted for "which page, which filter".
 * Every manager query, case lookup, export and role change is written to the audit table before
 * any result is shown; if the audit cannot be written, nothing is shown.
 *
 * In a channel or group chat, lists are shown as a Teams user-specific view (card `refresh` with
 * the asker's user id): the conversation sees a placeholder, only the asker sees the records.
 */
import { StorageUnavailableError, type StoredRecord } from '../../../storage/contract';
import { InvalidContinuationTokenError, InvalidQueryError } from '../../../storage/errors';
import { commandMatcher, type BotFeature, type CardActionResult, type MessageCommand, type Turn } from '../types';
import { isManager } from '../../kit/access';
import { parseFilterText, toRecordQuery, validateFilter, type RecordFilter } from './filters';
import { z } from 'zod';
import { VERBS } from '../../kit/verbs';
import {
  firstState,
  issueDownloadToken,
  nextState,
  previousState,
  signState,
  verifyState,
  withoutPosition,
  type CardState,
} from './state';
import { exportCard, listCard, privateViewCard } from './views';
import { ONLY_MANAGERS, actorOf, audit, message, tenantOf } from './common';
import { grantCommand, listManagersCommand, revokeCommand } from './roles';

const StateDataSchema = z.object({ state: z.string().min(1).max(40_000) });
const ApplyDataSchema = StateDataSchema.extend({
  rOutcome: z.string().max(100).optional(),
  rFrom: z.string().max(40).optional(),
  rTo: z.string().max(40).optional(),
  rCase: z.string().max(200).optional(),
});

const START_AGAIN = 'Type **recent decisions** (or **my decisions**) to start again.';

const isShared = (turn: Turn) => turn.identity.scope.conversationKind !== 'personal';
/** The Teams user id (MRI, "29:…") that user-specific views are addressed to. */
const userMriOf = (turn: Turn) => turn.ctx.activity.from.id;
/** "team" with no value means this team (channels) or this chat (group chats); nothing in a personal chat. */
const hereOf = (turn: Turn) =>
  turn.identity.scope.conversationKind === 'personal'
    ? undefined
    : (turn.identity.scope.teamId ?? turn.identity.scope.conversationId);

/** Filter as written to the audit table: what was asked, in full (the audit table is the accountability record). */
function auditFilter(state: Pick<CardState, 'm' | 'f' | 'p' | 'n'>): Record<string, unknown> {
  return { mode: state.m, ...state.f, page: state.p, pageSize: state.n };
}

function titleFor(s: CardState): string {
  if (s.m === 'mine') return 'My decisions';
  return s.f.caseRef ? `Case ${s.f.caseRef}` : 'Recent decisions';
}

/** Checks a card's signed state against the clicking user; returns a refusal when it does not belong to them. */
function stateFor(turn: Turn, data: Record<string, unknown>): { state?: CardState; refusal?: CardActionResult } {
  const parsed = StateDataSchema.safeParse(data);
  const verified = parsed.success
    ? verifyState(turn.services.config, parsed.data.state)
    : ({ ok: false, reason: 'malformed' } as const);
  if (!verified.ok) {
    turn.services.logger.warn({ event: 'records.card_refused', reason: verified.reason }, 'records card data refused');
    return {
      refusal: {
        message: `This card could not be read — it may have been altered or made by an older version of the bot. ${START_AGAIN}`,
      },
    };
  }
  const s = verified.value;
  if (s.tn !== tenantOf(turn)) {
    turn.services.logger.warn(
      { event: 'records.card_refused', reason: 'other_tenant', tenantId: tenantOf(turn) },
      'records card from another tenant',
    );
    return {
      refusal: { message: `This card belongs to another organisation, so it cannot be used here. ${START_AGAIN}` },
    };
  }
  if (s.o !== actorOf(turn)) return { refusal: { message: `This list was opened by someone else. ${START_AGAIN}` } };
  return { state: s };
}

/** Runs the query for one page, audits it (manager lists), and renders the list card. */
async function showPage(turn: Turn, s: CardState): Promise<CardActionResult> {
  const { services } = turn;
  const tenantId = tenantOf(turn);
  const actor = actorOf(turn);
  if (s.m === 'manager' && !(await isManager(services, tenantId, actor)))
    return message('Managers only', ONLY_MANAGERS, 'warning');

  // "My decisions" is always the caller's own, whatever the card says.
  const filter: RecordFilter = s.m === 'mine' ? { ...s.f, practitioner: actor } : s.f;
  let items: StoredRecord[];
  let token: string | undefined;
  try {
    const page = await services.stores.decisions.query(toRecordQuery(tenantId, filter), s.n, s.t);
    items = page.items;
    token = page.continuationToken;
  } catch (err) {
    if (err instanceof InvalidContinuationTokenError) {
      services.logger.warn({ event: 'records.bad_token', page: s.p }, 'records page token refused');
      return { message: `That page is no longer available (the list may have changed). ${START_AGAIN}` };
    }
    if (err instanceof InvalidQueryError)
      return { message: 'Those filters could not be used. Please check the dates and try again.' };
    if (err instanceof StorageUnavailableError)
      return { message: 'The records store could not be reached. Please try again in a moment.' };
    throw err;
  }

  if (s.m === 'manager') {
    const audited = await audit(turn, s.f.caseRef ? 'view_case' : 'query_records', auditFilter(s), items.length);
    if (!audited)
      return {
        message: 'The records store could not be reached, so nothing can be shown. Please try again in a moment.',
      };
  }
  services.logger.info(
    {
      event: 'records.listed',
      mode: s.m,
      page: s.p,
      count: items.length,
      filters: Object.keys(s.f),
      more: Boolean(token),
    },
    'records listed',
  );

  const current = signState(services.config, s);
  const prev = previousState(s);
  return {
    card: listCard({
      title: titleFor(s),
      filter: s.f,
      page: s.p,
      pageSize: s.n,
      items,
      currentState: current,
      queryState: s.p === 1 && !s.t ? current : signState(services.config, withoutPosition(s)),
      nextState: token ? signState(services.config, nextState(s, token)) : undefined,
      prevState: prev ? signState(services.config, prev.state) : undefined,
      prevIsFirst: prev?.isFirst,
      canExport: s.m === 'manager' && !isShared(turn),
      // Corrections are offered on one's own decisions only (and re-checked against the record on click).
      correctableBy: s.m === 'mine' ? actor : undefined,
      privateTo: isShared(turn) ? userMriOf(turn) : undefined,
    }),
  };
}

/** Text command → first page: in a personal chat the list itself, elsewhere a private (user-specific) view. */
async function openList(turn: Turn, mode: CardState['m'], filter: RecordFilter, pageSize: number): Promise<void> {
  if (mode === 'manager' && !(await isManager(turn.services, tenantOf(turn), actorOf(turn)))) {
    await turn.reply(message('Managers only', ONLY_MANAGERS, 'warning'));
    return;
  }
  const s = firstState({ tenantId: tenantOf(turn), owner: actorOf(turn), mode, filter, pageSize });
  if (isShared(turn)) {
    await turn.reply({ card: privateViewCard(titleFor(s), signState(turn.services.config, s), userMriOf(turn)) });
    return;
  }
  await turn.reply(await showPage(turn, s));
}

function filterCommand(turn: Turn, args: string, allowed?: ReadonlySet<string>) {
  return parseFilterText(args, { here: hereOf(turn) }, allowed);
}

const MINE_FILTERS = new Set(['outcome', 'from', 'to', 'case', 'rows']);

const recentCommand: MessageCommand = {
  usage: 'recent decisions [filters]',
  description:
    'Managers: decisions in your organisation, newest first. Filters: team, practitioner <id>, outcome <code>, from/to YYYY-MM-DD.',
  hiddenFromHelp: true,
  match: commandMatcher('recent decisions', 'recent records', 'recent'),
  async handle(turn, args) {
    const parsed = filterCommand(turn, args);
    if (!parsed.ok) return turn.reply(message('Recent decisions', parsed.problem, 'warning'));
    await openList(turn, 'manager', parsed.filter, parsed.pageSize);
  },
};

const caseCommand: MessageCommand = {
  usage: 'case <reference>',
  description: 'Managers: every decision and follow-up for one case (e.g. for a subject access request).',
  hiddenFromHelp: true,
  match: commandMatcher('case'),
  async handle(turn, args) {
    if (!args)
      return turn.reply(
        message('Case lookup', 'Say which case: **case** <reference>, e.g. "case CS-1234".', 'warning'),
      );
    const parsed = validateFilter({ caseRef: args });
    if (!parsed.ok) return turn.reply(message('Case lookup', parsed.problem, 'warning'));
    await openList(turn, 'manager', parsed.filter, parsed.pageSize);
  },
};

const mineCommand: MessageCommand = {
  usage: 'my decisions',
  description:
    'The decisions you have recorded, newest first (add outcome <code>, from/to YYYY-MM-DD or case <reference> to narrow them).',
  match: commandMatcher('my decisions', 'my records'),
  async handle(turn, args) {
    const parsed = filterCommand(turn, args, MINE_FILTERS);
    if (!parsed.ok) return turn.reply(message('My decisions', parsed.problem, 'warning'));
    await openList(turn, 'mine', parsed.filter, parsed.pageSize);
  },
};

/**
 * CSV export. A Teams-appropriate way to hand over a file: a signed link, valid for 10 minutes,
 * for this tenant and this manager only, served by this bot (GET /downloads/decisions.csv,
 * src/http/downloads.ts, with this feature's export service, export.ts, which re-checks the role
 * and re-runs the query), which streams the CSV.
 * File-consent cards (the Teams way to *upload* a file to the user) work only in personal chat and
 * need OneDrive upload plumbing; a file attached to the message would sit in the chat history.
 * Links are only ever given in a personal chat: anyone holding one can use it until it expires.
 */
async function exportLink(turn: Turn, filter: RecordFilter, backState?: string): Promise<CardActionResult> {
  const { services } = turn;
  if (!(await isManager(services, tenantOf(turn), actorOf(turn))))
    return message('Managers only', ONLY_MANAGERS, 'warning');
  if (isShared(turn))
    return message(
      'Export',
      'For privacy, download links are only given in a personal chat. Open a chat with me and type **export** with the same filters.',
      'warning',
    );
  const base = services.config.PUBLIC_BASE_URL;
  if (!base)
    return message(
      'Export',
      'CSV export is not set up on this bot yet (PUBLIC_BASE_URL is not configured). Please tell your administrator.',
      'warning',
    );
  const now = services.now();
  const { token, payload } = issueDownloadToken(services.config, {
    tenantId: tenantOf(turn),
    actor: actorOf(turn),
    filter,
    now,
  });
  if (!(await audit(turn, 'export_link_issued', { ...filter, jti: payload.jti }, 0)))
    return { message: 'The records store could not be reached. Please try again in a moment.' };
  services.logger.info(
    { event: 'records.export_link', jti: payload.jti, filters: Object.keys(filter) },
    'export link issued',
  );
  const url = new URL('/downloads/decisions.csv', base);
  url.searchParams.set('token', token);
  return { card: exportCard({ url: url.toString(), filter, expiresAt: new Date(payload.exp * 1000), backState }) };
}

const exportCommand: MessageCommand = {
  usage: 'export [filters]',
  description: 'Managers: a CSV of the decisions matching the filters, as a download link valid for 10 minutes.',
  hiddenFromHelp: true,
  match: commandMatcher('export', 'export decisions', 'export records'),
  async handle(turn, args) {
    const parsed = filterCommand(turn, args.replace(/^(decisions|records)\b\s*/i, ''));
    if (!parsed.ok) return turn.reply(message('Export', parsed.problem, 'warning'));
    await turn.reply(await exportLink(turn, parsed.filter));
  },
};

async function onPage(turn: Turn, data: Record<string, unknown>): Promise<CardActionResult> {
  const { state, refusal } = stateFor(turn, data);
  if (!state) return refusal!;
  return showPage(turn, state);
}

async function onApply(turn: Turn, data: Record<string, unknown>): Promise<CardActionResult> {
  const { state, refusal } = stateFor(turn, data);
  if (!state) return refusal!;
  const inputs = ApplyDataSchema.safeParse(data);
  if (!inputs.success) return { message: 'Those filters could not be read. Please check them and try again.' };
  // Team and practitioner stay as the list was opened with; the inputs replace the rest.
  const parsed = validateFilter(
    {
      team: state.f.team,
      practitioner: state.m === 'manager' ? state.f.practitioner : undefined,
      outcome: inputs.data.rOutcome,
      from: inputs.data.rFrom,
      to: inputs.data.rTo,
      caseRef: inputs.data.rCase,
    },
    state.n,
  );
  if (!parsed.ok) return { message: parsed.problem };
  return showPage(
    turn,
    firstState({
      tenantId: tenantOf(turn),
      owner: actorOf(turn),
      mode: state.m,
      filter: parsed.filter,
      pageSize: state.n,
    }),
  );
}

async function onExport(turn: Turn, data: Record<string, unknown>): Promise<CardActionResult> {
  const { state, refusal } = stateFor(turn, data);
  if (!state) return refusal!;
  if (state.m !== 'manager') return message('Managers only', ONLY_MANAGERS, 'warning');
  return exportLink(turn, state.f, (data as { state: string }).state);
}

export const recordsFeature: BotFeature = {
  commands: [mineCommand, recentCommand, caseCommand, exportCommand, grantCommand, revokeCommand, listManagersCommand],
  actions: [
    // Lists are shown to the asker alone (user-specific views in shared conversations).
    { verb: VERBS.recordsPage, privacy: 'asker-only', handle: onPage },
    { verb: VERBS.recordsApply, privacy: 'asker-only', handle: onApply },
    { verb: VERBS.recordsExport, privacy: 'asker-only', handle: onExport },
  ],
};
