import type { AdaptiveCard } from './templates';

/** The content type of an Adaptive Card, in attachments and in Universal Action invoke responses. */
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** An Adaptive Card as a Bot Framework message attachment. */
export function adaptiveAttachment(card: AdaptiveCard) {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}
