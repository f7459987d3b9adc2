import assert from 'node:assert/strict';
import { rulePack, loadRulePack } from '../src/domain';
import { rawRulePack } from '../src/domain/rulePack/pack';
assert.deepEqual(rulePack, loadRulePack(rawRulePack));
console.log('equal', rulePack.rules.length, rulePack.questions.length);
