/** Small formatting helpers shared by the card views. */
import type { Citation, CitedText } from '../../domain/contract';

/**
 * "§4 Recording …" for a numbered section of a local chapter; a named source ("DfE 2024, golden
 * rule 3", "UK GDPR Art. 6(1)(e)") is shown as it is, without a section sign.
 */
export function citeText(citations: readonly Citation[]): string {
  return citations.map((c) => `${/^\d/.test(c.section) ? '§' : ''}${c.section} ${c.heading}`).join('; ');
}

/** The distinct citations of what an outcome requires to be recorded: where the pack's recording duty comes from. */
export function recordingCitations(requirements: readonly { citations: readonly Citation[] }[]): string {
  const seen = new Map<string, Citation>();
  for (const c of requirements.flatMap((r) => r.citations)) seen.set(`${c.section}\u0000${c.heading}`, c);
  return citeText([...seen.values()]);
}

export function citedItems(items: readonly CitedText[]): Array<{ text: string; cites: string; number: number }> {
  return items.map((item, i) => ({ text: item.text, cites: citeText(item.citations), number: i + 1 }));
}

/** Adaptive Card container style for a decision: green to share, amber to pause, red to stop. */
export function styleForDecision(decision: string): 'good' | 'warning' | 'attention' | 'accent' {
  if (decision.startsWith('share_')) return 'good';
  if (decision === 'do_not_share') return 'attention';
  if (decision === 'police_disclosure_scheme' || decision === 'contact_originating_agency') return 'accent';
  return 'warning';
}
