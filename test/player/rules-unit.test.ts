import { expect } from 'chai';
import { parseDurationSeconds, toIsoDuration, toScorm12Time } from '../../src/player/cmi-time.ts';
import { navigate } from '../../src/player/rollup.ts';
import { applyCommitRules, deriveState } from '../../src/player/scorm-rules.ts';

const item = (id: string, extra = {}) => ({ id, title: id, href: `${id}.html`, ...extra });

describe('player: runtime rules (pure functions)', () => {
  it('reads SCORM 1.2 timespans and ISO 8601 durations and writes both', () => {
    expect(parseDurationSeconds('0001:02:03.50')).to.equal(3723.5);
    expect(parseDurationSeconds('PT1H2M3.5S')).to.equal(3723.5);
    expect(parseDurationSeconds('P1DT1S')).to.equal(86_401);
    expect(parseDurationSeconds('kaputt')).to.equal(0);
    expect(toScorm12Time(3723.5)).to.equal('0001:02:03.50');
    expect(toIsoDuration(3723.5)).to.equal('PT1H2M3.5S');
    expect(toIsoDuration(0)).to.equal('PT0S');
  });

  it('keeps the values the LMS owns and ignores what the SCO sends for them', () => {
    const out = applyCommitRules(
      'scorm12',
      { 'cmi.core.student_id': 'echt' },
      { 'cmi.core.student_id': 'gefälscht', 'cmi.core.total_time': '9999:00:00', 'cmi.core.session_time': '0000:00:10' },
      item('a'),
      20,
      false,
    );
    expect(out['cmi.core.student_id']).to.equal('echt');
    expect(out['cmi.core.total_time']).to.equal('0000:00:30.00');
  });

  it('sets "completed" when a 1.2 SCO finishes without a status, and leaves browsed alone', () => {
    expect(applyCommitRules('scorm12', {}, {}, item('a'), 0, true)['cmi.core.lesson_status']).to.equal('completed');
    expect(
      applyCommitRules('scorm12', {}, { 'cmi.core.lesson_status': 'browsed', 'cmi.core.score.raw': '10' }, item('a', { masteryScore: 50 }), 0, true)[
        'cmi.core.lesson_status'
      ],
    ).to.equal('browsed');
  });

  it('makes success unknown in 2004 when a scaled passing score exists but no scaled score', () => {
    const out = applyCommitRules('scorm2004', {}, { 'cmi.success_status': 'passed' }, item('a', { scaledPassingScore: 0.5 }), 0, false);
    expect(deriveState('scorm2004', out).success).to.equal('unknown');
  });

  it('leads from item to item where no sequencing applies, and says where it ends', () => {
    const items = [item('a'), item('b')];
    expect(navigate('continue', 'b', undefined, items, [])).to.deep.equal({ refused: 'end' });
    expect(navigate('continue', 'a', undefined, items, [])).to.deep.equal({ itemId: 'b' });
    expect(navigate('choice', 'a', 'x', items, [])).to.deep.equal({ refused: 'unknown' });
  });
});
