/** The plain message card every feature uses for a short answer, a refusal or a problem. */
import { renderCard, type AdaptiveCard } from '../cards/templates';

export type MessageStyle = 'default' | 'attention' | 'warning' | 'good';

/** `restartData` (the action data of a "Start again" button) adds that button to the card. */
export function messageCard(
  title: string,
  text: string,
  opts: { style?: MessageStyle; restartData?: Record<string, unknown> } = {},
): AdaptiveCard {
  return renderCard('message', {
    title,
    text,
    style: opts.style ?? 'default',
    offerStart: Boolean(opts.restartData),
    restartData: opts.restartData ?? {},
  });
}
