/**
 * Outcome fingerprints: for every complete path through a pack, a sha256 of the canonical JSON of
 * its outcome (everything the card shows and the record keeps), aggregated per rule. Two packs with
 * equal fingerprints give the same outcome on every path; the committed fingerprint of the 2015
 * pack proves that moving it from TypeScript to JSON changed no answer.
 */
import { createHash } from 'node:crypto';
import { completePaths, type Outcome, type RulePack } from '../../../src/domain';
import { buildOutcome } from '../../../src/domain/outcome';

/**
 * A content digest of a JSON value: sha256 over its canonical JSON (object keys sorted), in which
 * every nested frozen object is replaced by its own (memoised) digest, a Merkle tree. Outcomes share
 * the pack's frozen texts, so walking ~400,000 paths hashes each text once and each outcome's own
 * fields and lists once.
 */
const digestCache = new WeakMap<object, string>();
export function contentDigest(value: unknown): string {
  const isObject = value !== null && typeof value === 'object';
  if (isObject) {
    const cached = digestCache.get(value);
    if (cached !== undefined) return cached;
  }
  const digest = createHash('sha256').update(canonical(value)).digest('hex');
  if (isObject && Object.isFrozen(value)) digestCache.set(value, digest);
  return digest;
}

function part(v: unknown): string {
  return v !== null && typeof v === 'object' && Object.isFrozen(v) ? `#${contentDigest(v)}` : canonical(v);
}

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  // Plain loops: this runs for every path of the pack.
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + part(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  out = '{';
  let first = true;
  for (const k of keys) {
    const v = record[k];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(k)}:${part(v)}`;
    first = false;
  }
  return `${out}}`;
}

/** The outcome's canonical form: equal for two outcomes exactly when they show and record the same. */
export function outcomeKey(outcome: Outcome): string {
  return canonical(outcome);
}

/**
 * A short key that is equal for two values only if their content is (so their canonical JSON is):
 * frozen objects by identity, strings by an interned number, the rest by structure in property
 * order. Two equal values may still get different keys (two frozen copies, or properties in another
 * order): that only costs a second canonical form, never a wrong digest. Building it is much
 * cheaper than the canonical form, and most of ~400,000 paths share an outcome with an earlier one.
 */
class IdentityKeys {
  private readonly objects = new WeakMap<object, number>();
  private readonly strings = new Map<string, number>();
  private next = 0;

  of(value: unknown): string {
    if (typeof value === 'string') return `s${this.intern(value)}`;
    if (value === null || typeof value !== 'object') return value === undefined ? 'u' : JSON.stringify(value);
    if (Object.isFrozen(value)) {
      let id = this.objects.get(value);
      if (id === undefined) this.objects.set(value, (id = this.next++));
      return `#${id}`;
    }
    let out: string;
    if (Array.isArray(value)) {
      out = '[';
      for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + this.of(value[i]);
      return `${out}]`;
    }
    out = '{';
    const record = value as Record<string, unknown>;
    for (const k in record) out += `s${this.intern(k)}:${this.of(record[k])},`;
    return `${out}}`;
  }

  private intern(text: string): number {
    let id = this.strings.get(text);
    if (id === undefined) this.strings.set(text, (id = this.next++));
    return id;
  }
}

/**
 * A sha256 fed in large pieces: the fingerprint hashes a short line per path, and one native call
 * per line cost more than the hashing. The digest is the same as line by line.
 */
class BufferedHash {
  private readonly hash = createHash('sha256');
  private pending = '';
  update(text: string): void {
    this.pending += text;
    if (this.pending.length > 1 << 16) this.flush();
  }
  digest(): string {
    this.flush();
    return this.hash.digest('hex');
  }
  private flush(): void {
    this.hash.update(this.pending);
    this.pending = '';
  }
}

/** The answers of a path, in path order, as a stable key. */
export function pathKey(answers: Readonly<Record<string, string>>): string {
  let key = '';
  for (const q in answers) key += `${key ? '&' : ''}${q}=${answers[q]}`;
  return key;
}

export interface RuleFingerprint {
  decision: string;
  paths: number;
  /** sha256 over "<path key> <sha256 of the outcome key>" lines of this rule's paths, in path order. */
  sha256: string;
}
export interface PackFingerprint {
  packVersion: string;
  paths: number;
  /** sha256 over every path's line, in path order. */
  sha256: string;
  rules: Record<string, RuleFingerprint>;
}

/** Walks every complete path of the pack. */
export function fingerprint(pack: RulePack): PackFingerprint {
  const total = new BufferedHash();
  // Many paths share an outcome: hash each distinct outcome once, found by its identity key.
  const identity = new IdentityKeys();
  const outcomeDigests = new Map<string, string>();
  const perRule = new Map<string, { decision: string; paths: number; hash: BufferedHash }>();
  let paths = 0;
  for (const answers of completePaths(pack)) {
    const outcome = buildOutcome(pack, answers);
    const id = identity.of(outcome);
    let digest = outcomeDigests.get(id);
    if (digest === undefined) {
      digest = createHash('sha256').update(outcomeKey(outcome)).digest('hex');
      outcomeDigests.set(id, digest);
    }
    const line = `${pathKey(answers)} ${digest}\n`;
    total.update(line);
    let entry = perRule.get(outcome.ruleId);
    if (!entry) {
      entry = { decision: outcome.decision, paths: 0, hash: new BufferedHash() };
      perRule.set(outcome.ruleId, entry);
    }
    entry.paths++;
    entry.hash.update(line);
    paths++;
  }
  const rules: Record<string, RuleFingerprint> = {};
  for (const [id, e] of [...perRule.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    rules[id] = { decision: e.decision, paths: e.paths, sha256: e.hash.digest() };
  }
  return { packVersion: pack.metadata.version, paths, sha256: total.digest(), rules };
}
