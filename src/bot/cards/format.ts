/** Small formatting helpers shared by the card views. */
import type { Citation, CitedText } from '../../domain/contract';

export function citeText(citations: readonly Citation[]): string {
  return citations.map((c) => `§${c.section} ${c.heading}`).join('; ');
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
