/**
 * Building blocks for writing the pack: the guidance's sections (for citations), small condition
 * helpers, and conditions several questions and rules share. Pure data; no logic.
 */
import type { Citation } from '../contract';
import type { Condition } from './schema';

/** Every section/heading of "2.4 Information Sharing and Confidentiality" (October 2015), as headed there. */
export const S = {
  context: { section: '1', heading: 'Local Context and Justification for Sharing Information' },
  law: { section: '2', heading: 'Relevant Law & Government Requirements' },
  commonLaw: { section: '2', heading: 'Common Law' },
  echr: { section: '2', heading: 'European Convention on Human Rights' },
  dpa: { section: '2', heading: 'Data Protection Act 1998' },
  caldicott: { section: '2', heading: 'Caldicott Standards' },
  dfe: { section: '2', heading: 'Department for Education Guidance' },
  overall: { section: '2', heading: 'Overall Legal & Best Professional Practice' },
  furtherGuidance: { section: '3', heading: "Further Guidance for the Children's Workforce" },
  practice: { section: '4', heading: 'Practice Requirements for Information Transfer' },
  checks: { section: '4', heading: "Routine 'Checks' - s.17 & 47 Enquiries" },
  recording: { section: '4', heading: 'Recording of Information Sought and Shared' },
  exchanges: { section: '4', heading: 'Confidentiality of Exchanges of Information' },
  security: { section: '4', heading: 'Security of the Information' },
  responsibilities: { section: '5', heading: 'Responsibilities' },
  sar: { section: '5.1', heading: 'Access Rights of Data Subjects' },
  foi: { section: '5.2', heading: 'Freedom of Information Act' },
  indemnity: { section: '5.3', heading: 'Indemnity' },
  csods: { section: '6', heading: 'Child Sex Offender Disclosure Scheme' },
  dvds: { section: '7', heading: 'Domestic Violence Disclosure Scheme' },
} as const satisfies Record<string, Citation>;

export const GUIDANCE_SECTIONS: Citation[] = Object.values(S).map((c) => ({ ...c }));

// Condition helpers: keep the pack readable without hiding that it is plain data.
export const is = (q: string, ...codes: string[]): Condition => ({ q, in: codes });
export const answered = (q: string): Condition => ({ answered: q });
export const all = (...conditions: Condition[]): Condition => ({ all: conditions });
export const any = (...conditions: Condition[]): Condition => ({ any: conditions });
export const not = (condition: Condition): Condition => ({ not: condition });
export const ALWAYS: Condition = { all: [] };

/** Passing information on, or answering another worker's request (as opposed to making checks). */
export const SHARING = is('direction', 'sharing_out', 'responding_to_request');
/** Gathering information through checks for a s.17 assessment or s.47 enquiry (§4 Routine 'Checks'). */
export const CHECKS = is('direction', 'making_checks');
export const IN_SCOPE = is('about', 'child_health_development_harm', 'parent_carer_unable_to_care', 'person_posing_risk');
/** On the sharing path, in scope, and not trying to pass it on anonymously (only referrers are asked). */
export const SHARING_NAMED = all(SHARING, IN_SCOPE, not(is('anonymous', 'wants_anonymous')));
export const SENSITIVE = is('sensitive', 'health_or_sexual', 'other_sensitive');

/** Concerns that, per §2 DfE Guidance and §4, normally justify sharing without consent. */
export const JUSTIFYING_GROUNDS = is(
  'grounds',
  'significant_harm_evidence',
  'significant_harm_reasonable_cause',
  'prevent_serious_harm',
  'serious_crime',
  'vital_interests',
);
/** Reasons not to ask for consent first (§4, §4 Routine 'Checks', §2 DPA Schedule 3). */
export const ASKING_UNSAFE_OR_IMPOSSIBLE = is(
  'why_not_ask',
  'would_increase_risk',
  'would_delay_s47',
  'would_impede_investigation',
  'cannot_be_obtained',
);
/** Consent refused outright, or given with limits that exclude this exchange. */
export const NO_CONSENT_FOR_THIS = any(is('consent', 'refused'), is('consent_limits', 'limits_exclude_this'));
