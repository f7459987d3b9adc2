/**
 * Validates a card with the real Adaptive Cards parser (the renderer Teams' web client uses):
 * unknown element types, bad property values, missing or duplicate input ids, unsupported versions.
 */
// The package's extensionless ESM entry does not load on Node 20; its CommonJS bundle does.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js') as {
  AdaptiveCard: new () => {
    parse(json: unknown, ctx: unknown): void;
    validateProperties(): { validationEvents: Array<{ message: string }> };
  };
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): { message: string } };
};

export function cardProblems(card: unknown): string[] {
  const problems: string[] = [];
  const json = JSON.stringify(card);
  const leftover = json.match(/\$\{[^}]*\}/g);
  if (leftover) problems.push(`unresolved template expressions: ${leftover.join(', ')}`);
  const c = card as { version?: string; type?: string };
  if (c.type !== 'AdaptiveCard') problems.push('type is not AdaptiveCard');
  if (c.version !== '1.5') problems.push(`version is ${c.version}, expected 1.5 (what Teams renders)`);
  const parsed = new AC.AdaptiveCard();
  const ctx = new AC.SerializationContext();
  parsed.parse(card, ctx);
  for (let i = 0; i < ctx.eventCount; i++) problems.push(ctx.getEventAt(i).message);
  for (const e of parsed.validateProperties().validationEvents) problems.push(e.message);
  problems.push(...inputsWithoutLabels(card));
  problems.push(...executeActionsWithoutVerb(card));
  return problems;
}

/** Teams accessibility: every input needs a label (screen readers announce it). */
function inputsWithoutLabels(card: unknown): string[] {
  const out: string[] = [];
  walk(card, (n) => {
    if (typeof n.type === 'string' && n.type.startsWith('Input.') && !(typeof n.label === 'string' && n.label.trim()))
      out.push(`input "${String(n.id)}" has no label`);
  });
  return out;
}

function executeActionsWithoutVerb(card: unknown): string[] {
  const out: string[] = [];
  walk(card, (n) => {
    if (n.type === 'Action.Execute' && !(typeof n.verb === 'string' && n.verb))
      out.push(`Action.Execute "${String(n.title)}" has no verb`);
  });
  return out;
}

function walk(node: unknown, visit: (n: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) node.forEach((x) => walk(x, visit));
  else if (node && typeof node === 'object') {
    visit(node as Record<string, unknown>);
    Object.values(node).forEach((x) => walk(x, visit));
  }
}
