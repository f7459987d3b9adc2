/**
 * Question-count figures over the practitioner-case suite: how many questions each case answers
 * before the engine gives the answer (the decision), and how many in all. Walks the real engine one
 * answer at a time, as the bot does. Usage: npm run cases:stats
 */
import { completePaths, evaluate, rulePack } from '../src/domain';
import { CASES } from '../test/unit/domain/practitionerCases';

interface CaseCount {
  name: string;
  toAnswer: number;
  total: number;
}

function countQuestions(answers: Readonly<Record<string, string>>): { toAnswer: number; total: number } {
  const given: Record<string, string> = {};
  let toAnswer: number | undefined;
  for (let asked = 0; asked <= rulePack.questions.length; asked++) {
    const result = evaluate(rulePack, given);
    // The answer is known once the engine returns the outcome, or a question that carries the answer.
    const answerKnown = result.kind === 'outcome' || (result as { answer?: unknown }).answer !== undefined;
    if (answerKnown && toAnswer === undefined) toAnswer = asked;
    if (result.kind === 'outcome') return { toAnswer: toAnswer ?? asked, total: asked };
    const code = answers[result.question.id];
    if (code === undefined) throw new Error(`no answer for question "${result.question.id}"`);
    given[result.question.id] = code;
  }
  throw new Error('the questionnaire did not finish');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const counts: CaseCount[] = CASES.map((c) => ({ name: c.name, ...countQuestions(c.answers) }));
const toAnswer = counts.map((c) => c.toAnswer);
const total = counts.map((c) => c.total);
const longest = counts.filter((c) => c.toAnswer === Math.max(...toAnswer));

console.log(`Rule pack ${rulePack.metadata.version}: ${counts.length} practitioner cases`);
console.log(
  `Questions to the answer: median ${median(toAnswer)}, max ${Math.max(...toAnswer)}, mean ${(toAnswer.reduce((a, b) => a + b, 0) / toAnswer.length).toFixed(1)}`,
);
console.log(`Questions in all (incl. tailoring after the answer): median ${median(total)}, max ${Math.max(...total)}`);
console.log(
  `Longest to the answer (${Math.max(...toAnswer)}): ${longest
    .map((c) => c.name)
    .slice(0, 5)
    .join('; ')}`,
);
// Over every complete path of the pack, not just the cases (the walk only; no outcomes built).
const decisionQuestions = rulePack.questions
  .filter((q) => (q as { phase?: string }).phase !== 'tailor')
  .map((q) => q.id);
let paths = 0;
let longestPath = 0;
for (const answers of completePaths(rulePack)) {
  paths++;
  longestPath = Math.max(longestPath, decisionQuestions.filter((q) => answers[q] !== undefined).length);
}
console.log(`Over all ${paths} complete paths of the pack: at most ${longestPath} questions to the answer`);

const TARGET_MEDIAN = 7;
const TARGET_MAX = 10;
const ok = median(toAnswer) <= TARGET_MEDIAN && Math.max(...toAnswer) <= TARGET_MAX && longestPath <= TARGET_MAX;
console.log(`Targets (median ≤ ${TARGET_MEDIAN}, max ≤ ${TARGET_MAX}): ${ok ? 'met' : 'NOT met'}`);
if (!ok) process.exitCode = 1;
