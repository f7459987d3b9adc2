/** Greeting and help: what the bot does, how to start, and the immediate-danger line. */
import { rulePack as defaultPack, type RulePack } from '../../domain';
import { renderCard, type AdaptiveCard } from '../cards/templates';
import { urgentOpenData } from '../kit/urgentEntries';
import type { MessageCommand } from './types';

export const IMMEDIATE_DANGER_LINE = 'If a child is in immediate danger, call 999 now. Do not wait to use this bot.';
export const DECISION_SUPPORT_LINE =
  'This is decision support, not legal advice. If you are unsure, ask your manager, your agency’s legal adviser or your Caldicott Guardian.';

/** The welcome card, naming the rule pack the user's organisation decides under (the default before it is known). */
export function welcomeCard(commands: readonly MessageCommand[], pack: RulePack = defaultPack): AdaptiveCard {
  return renderCard('welcome', {
    packSource: `*${pack.metadata.title}* (rule pack ${pack.metadata.id}, version ${pack.metadata.version})`,
    immediateDanger: IMMEDIATE_DANGER_LINE,
    decisionSupport: DECISION_SUPPORT_LINE,
    urgentData: urgentOpenData(),
    commands: [{ name: 'help', description: 'Show this card.' }].concat(
      commands.filter((c) => !c.hiddenFromHelp).map((c) => ({ name: c.usage, description: c.description })),
    ),
  });
}
