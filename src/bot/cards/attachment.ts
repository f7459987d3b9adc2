import type { AdaptiveCard } from './templates';

/** An Adaptive Card as a Bot Framework message attachment. */
export function adaptiveAttachment(card: AdaptiveCard) {
  return { contentType: 'application/vnd.microsoft.card.adaptive', content: card };
}
