/** Every feature the bot serves, in the order their text commands are matched. */
import { questionnaireFeature } from './questionnaire';
import { recordsFeature } from './records';
import { followUpsFeature } from './followUps';
import { remindersFeature } from './reminders';
import { urgentFeature } from './urgent';
import { rulePacksFeature } from './rulePacks';
import type { BotFeature } from './types';

export const allFeatures: readonly BotFeature[] = [
  questionnaireFeature,
  recordsFeature,
  followUpsFeature,
  remindersFeature,
  urgentFeature,
  rulePacksFeature,
];
