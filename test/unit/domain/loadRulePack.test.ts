/** loadRulePack rejects malformed packs with a message naming the bad entry. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RULE_PACK_DIR, loadRulePack, readRulePackFolder, RulePackError, rulePack } from '../../../src/domain';
import type { RulePackInput } from '../../../src/domain/rulePack/schema';

const rawRulePack = readRulePackFolder(DEFAULT_RULE_PACK_DIR);

/** A fresh, mutable copy of the default pack to break in one place. */
function packWith(mutate: (pack: RulePackInput) => void): RulePackInput {
  const copy = structuredClone(rawRulePack);
  mutate(copy);
  return copy;
}

function rule(pack: RulePackInput, id: string) {
  const found = pack.rules.find((r) => r.id === id);
  assert.ok(found, id);
  return found;
}

function question(pack: RulePackInput, id: string) {
  const found = pack.questions.find((q) => q.id === id);
  assert.ok(found, id);
  return found;
}

function assertRejected(raw: unknown, expected: RegExp | string) {
  assert.throws(
    () => loadRulePack(raw),
    (err: unknown) => {
      assert.ok(err instanceof RulePackError, 'throws RulePackError');
      assert.ok(err instanceof Error);
      if (typeof expected === 'string') assert.ok(err.message.includes(expected), `message was: ${err.message}`);
      else assert.match(err.message, expected);
      return true;
    },
  );
}

describe('loadRulePack', () => {
  it('loads the default pack, deeply frozen, with its version', () => {
    const pack = loadRulePack(rawRulePack);
    assert.equal(pack.metadata.version, '2015.10-r2');
    assert.equal(pack.version, '2015.10-r2');
    assert.ok(Object.isFrozen(pack) && Object.isFrozen(pack.rules) && Object.isFrozen(pack.rules[0]?.when));
    assert.deepEqual(pack, rulePack);
  });

  it('keeps legal notes saying DPA 1998 is superseded (without changing the 2015 meaning)', () => {
    const notes = rulePack.metadata.legalNotes.map((n) => n.text).join(' ');
    for (const phrase of ['UK GDPR', 'Data Protection Act 2018', 'Article 6', 'Article 9', 'paragraph 18']) {
      assert.ok(notes.includes(phrase), phrase);
    }
  });

  it('names a rule whose condition uses an unknown option code', () => {
    const raw = packWith((p) => {
      rule(p, 'share-with-consent').when = { all: [{ q: 'consent', in: ['maybe'] }] };
    });
    assertRejected(raw, 'rule "share-with-consent": condition refers to unknown option "maybe" of question "consent"');
  });

  it('names a rule whose condition uses an unknown question', () => {
    const raw = packWith((p) => {
      rule(p, 'share-not-confidential').when = { not: { q: 'mood', in: ['bad'] } };
    });
    assertRejected(raw, 'rule "share-not-confidential": condition refers to unknown question "mood"');
  });

  it('names a question whose askWhen refers to a later question', () => {
    const raw = packWith((p) => {
      question(p, 'about').askWhen = { q: 'consent', in: ['given'] };
    });
    assertRejected(raw, 'question "about": askWhen refers to question "consent", which is not asked before it');
  });

  it('names a rule that depends on a tailoring question (asked only after the answer)', () => {
    const raw = packWith((p) => {
      rule(p, 'share-not-confidential').when = {
        all: [
          { q: 'exception', in: ['not_confidential'] },
          { q: 'channel', in: ['phone'] },
        ],
      };
    });
    assertRejected(
      raw,
      'rule "share-not-confidential": condition: refers to tailoring question "channel", which is asked after the answer',
    );
  });

  it('names a rule, a derivation or a decision question that looks at the decision', () => {
    assertRejected(
      packWith((p) => {
        rule(p, 'share-not-confidential').when = { decision: ['share_with_consent'] };
      }),
      'rule "share-not-confidential": condition: cannot refer to the decision',
    );
    assertRejected(
      packWith((p) => {
        question(p, 'about').askWhen = { decision: ['share_with_consent'] };
      }),
      'question "about": askWhen of a decision question cannot refer to the decision',
    );
    assertRejected(
      packWith((p) => {
        p.derive.consentStatus.push({ when: { q: 'recipient', in: ['police'] }, status: 'not_sought' });
      }),
      /derive.consentStatus\[\d+\]: refers to tailoring question "recipient"/,
    );
  });

  it('names a decision question placed after a tailoring question', () => {
    const raw = packWith((p) => {
      const about = question(p, 'about');
      p.questions = [...p.questions.filter((q) => q !== about), about];
      about.askWhen = { q: 'route', in: ['sharing_out'] };
    });
    assertRejected(raw, 'question "about": a decision question must come before every tailoring question');
  });

  it('names a cross-cutting entry that refers to a practice step that does not exist', () => {
    const raw = packWith((p) => {
      p.crossCutting.practiceSteps.push({ step: 'send-by-pigeon', when: { all: [] } });
    });
    assertRejected(raw, 'crossCutting: refers to unknown practice step "send-by-pigeon"');
  });

  it('requires the recipient question to offer exactly the record form’s recipient codes', () => {
    const raw = packWith((p) => {
      const recipient = question(p, 'recipient');
      recipient.options = recipient.options.filter((o) => o.code !== 'housing');
    });
    assertRejected(raw, 'question "recipient": recipient options must be exactly');
  });

  it('names a practice step whose appliesWhen uses an unknown option', () => {
    const raw = packWith((p) => {
      const step = p.practiceSteps.find((s) => s.id === 'fax-check-number');
      assert.ok(step);
      step.appliesWhen = { q: 'channel', in: ['carrier_pigeon'] };
    });
    assertRejected(
      raw,
      'practice step "fax-check-number": appliesWhen refers to unknown option "carrier_pigeon" of question "channel"',
    );
  });

  it('names a rule that refers to a practice step that does not exist', () => {
    const raw = packWith((p) => {
      rule(p, 'share-with-consent').practiceSteps.push('send-by-pigeon');
    });
    assertRejected(raw, 'rule "share-with-consent": refers to unknown practice step "send-by-pigeon"');
  });

  it('names a rule that refers to a follow-up the pack does not define', () => {
    const raw = packWith((p) => {
      p.followUps = p.followUps.filter((f) => f.code !== 'inform_subject_later');
    });
    assertRejected(raw, /rule "share-despite-refusal-justified": refers to unknown follow-up "inform_subject_later"/);
  });

  it('names duplicate ids', () => {
    assertRejected(
      packWith((p) => {
        p.rules.splice(1, 0, structuredClone(rule(p, 'share-with-consent')));
      }),
      'rule "share-with-consent": duplicate id',
    );
    assertRejected(
      packWith((p) => {
        question(p, 'consent').options.push({ code: 'given', label: 'Again' });
      }),
      'question "consent": duplicate option "given"',
    );
  });

  it('names a rule with a decision code that is not in DECISIONS (schema error)', () => {
    const raw = packWith((p) => {
      (rule(p, 'share-with-consent') as { decision: string }).decision = 'probably_fine';
    });
    assertRejected(raw, /rule "share-with-consent" \(rules\[\d+\]\) → decision/);
  });

  it('names a practice step with no citations (schema error)', () => {
    const raw = packWith((p) => {
      const step = p.practiceSteps.find((s) => s.id === 'protective-marking');
      assert.ok(step);
      step.citations = [];
    });
    assertRejected(
      raw,
      /practice step "protective-marking" \(practiceSteps\[\d+\]\) → citations: must cite at least one section/,
    );
  });

  it('names a question with an unexpected field (strict schema)', () => {
    const raw = packWith((p) => {
      (question(p, 'route') as Record<string, unknown>).colour = 'red';
    });
    assertRejected(raw, /question "route" \(questions\[0\]\)/);
  });

  it('names a citation that is not a section/heading of the guidance', () => {
    const raw = packWith((p) => {
      question(p, 'consent').citations = [{ section: '9', heading: 'Made up' }];
    });
    assertRejected(raw, 'question "consent": cites section "9" heading "Made up"');
  });

  it('requires the last rule to be a catch-all deciding seek_advice', () => {
    const raw = packWith((p) => {
      p.rules.pop();
    });
    assertRejected(raw, 'the last rule must be a catch-all');
  });

  it('requires the channel question to offer exactly the record form’s channel codes', () => {
    const raw = packWith((p) => {
      const channel = question(p, 'channel');
      channel.options = channel.options.filter((o) => o.code !== 'post');
    });
    assertRejected(raw, 'question "channel": channel options must be exactly');
  });

  it('rejects a malformed version and a non-object', () => {
    assertRejected(
      packWith((p) => (p.metadata.version = 'v1')),
      /metadata → version/,
    );
    assertRejected(null, 'Invalid rule pack');
    assertRejected('pack', 'Invalid rule pack');
  });

  it('reports every problem, not just the first', () => {
    const raw = packWith((p) => {
      rule(p, 'share-with-consent').practiceSteps.push('nope-1');
      rule(p, 'seek-consent-first').practiceSteps.push('nope-2');
    });
    assert.throws(
      () => loadRulePack(raw),
      (err: RulePackError) => err.problems.length === 2,
    );
  });

  it('names a practice reminder with no citations, and one citing a section the guidance does not have', () => {
    assertRejected(
      packWith((p) => {
        p.practiceReminders[0]!.citations = [];
      }),
      /practice reminder "verify-callers" \(practiceReminders\[0\]\) → citations: must cite at least one section/,
    );
    assertRejected(
      packWith((p) => {
        p.practiceReminders[0]!.citations = [{ section: '4', heading: 'Faxing' }];
      }),
      'practice reminder "verify-callers": cites section "4" heading "Faxing"',
    );
  });

  it('requires the urgent-share block: three or four steps, each citing a real section, ids unique', () => {
    assertRejected(
      packWith((p) => {
        delete (p as Partial<RulePackInput>).urgentShare;
      }),
      /urgentShare/,
    );
    assertRejected(
      packWith((p) => {
        p.urgentShare.steps = p.urgentShare.steps.slice(0, 2);
      }),
      /urgentShare → steps/,
    );
    assertRejected(
      packWith((p) => {
        p.urgentShare.steps[0]!.citations = [{ section: '4', heading: 'Faxing' }];
      }),
      'urgent step "urgent-who": cites section "4" heading "Faxing"',
    );
    assertRejected(
      packWith((p) => {
        p.urgentShare.steps[1]!.id = p.urgentShare.steps[0]!.id;
      }),
      'urgent step "urgent-who": duplicate id',
    );
    assertRejected(
      packWith((p) => {
        p.urgentShare.recordAfter.citations = [];
      }),
      /urgentShare → recordAfter → citations: must cite at least one section/,
    );
  });

  it('names a follow-up text with no citations, and a duplicate practice reminder code', () => {
    assertRejected(
      packWith((p) => {
        p.followUpTexts.personNotTold.citations = [];
      }),
      /followUpTexts → personNotTold → citations: must cite at least one section/,
    );
    assertRejected(
      packWith((p) => {
        p.practiceReminders.push({ ...p.practiceReminders[0]! });
      }),
      'practice reminder "verify-callers": duplicate code',
    );
  });
});
