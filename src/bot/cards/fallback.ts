/**
 * A card built without templating, for the one moment a template must not be trusted: after
 * something was saved. If rendering the proper card fails then, the user must still be told the
 * truth ("recorded, id X"), never the generic "nothing was recorded". Only our own wording and ids
 * go on it — no user text — so it cannot fail the same way.
 */
import type { Logger } from '../../logger';
import { errorFields } from '../../logger';
import type { AdaptiveCard } from './templates';

export function plainCard(
  title: string,
  lines: readonly string[],
  style: 'good' | 'warning' | 'attention' = 'good',
): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [
      {
        type: 'Container',
        style,
        bleed: true,
        items: [
          { type: 'TextBlock', text: title, size: 'Large', weight: 'Bolder', wrap: true, style: 'heading' },
          ...lines.map((text) => ({ type: 'TextBlock', text, wrap: true })),
        ],
      },
    ],
  };
}

/** `render()`, or — if it throws — the fallback card, with the failure logged by error class only. */
export function renderedOr(
  logger: Pick<Logger, 'error'>,
  card: string,
  render: () => AdaptiveCard,
  fallback: () => AdaptiveCard,
): AdaptiveCard {
  try {
    return render();
  } catch (err) {
    logger.error(
      { event: 'card.render_failed', card, err: errorFields(err) },
      'card could not be rendered; sent the plain card instead',
    );
    return fallback();
  }
}
