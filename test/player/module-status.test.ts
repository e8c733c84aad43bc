import { expect } from 'chai';
import { attemptOutcome, attemptStatus, moduleRecord, type AttemptOutcome } from '../../src/player/module-status.ts';
import type { ItemProgress } from '../../src/player/rollup.ts';

const item = (id: string, extra = {}) => ({ id, title: id, href: `${id}.html`, ...extra });
const state = (itemId: string, s: Partial<ItemProgress> = {}): ItemProgress => ({
  itemId,
  completion: false,
  success: 'unknown',
  scoreScaled: null,
  waived: false,
  ...s,
});
const status = (o: AttemptOutcome) => attemptStatus(o);

describe('player: module status by each standard (module-status.ts)', () => {
  describe('SCORM 1.2: every SCO counts', () => {
    const items = ['sco1', 'sco2', 'sco3'].map((id) => item(id));
    it('is never passed while an SCO is not attempted (one passed SCO of three)', () => {
      const o = attemptOutcome({ format: 'scorm12', items, states: [state('sco1', { completion: true, success: 'passed', scoreScaled: 0.75 })] });
      expect(o).to.include({ completion: false, success: 'unknown', satisfied: false });
      expect(status(o)).to.equal('in-progress');
    });
    it('is passed when every SCO is completed or passed and the judged ones passed', () => {
      const o = attemptOutcome({
        format: 'scorm12',
        items,
        states: [state('sco1', { success: 'passed', scoreScaled: 0.9 }), state('sco2', { completion: true }), state('sco3', { completion: true })],
      });
      expect(o).to.include({ completion: true, success: 'passed', satisfied: true, scoreScaled: 0.9 });
    });
    it('is completed when every SCO is completed and none judged', () => {
      const o = attemptOutcome({ format: 'scorm12', items, states: items.map((i) => state(i.id, { completion: true })) });
      expect(status(o)).to.equal('completed');
    });
    it('is failed as soon as a judged SCO failed (mastery score already applied to lesson_status)', () => {
      const o = attemptOutcome({ format: 'scorm12', items, states: [state('sco3', { completion: true, success: 'failed', scoreScaled: 0.5 })] });
      expect(status(o)).to.equal('failed');
      expect(o.satisfied).to.equal(false);
    });
  });

  describe('SCORM 2004', () => {
    const items = ['a', 'b'].map((id) => item(id));
    it("takes the root activity's rollup from the sequencing engine as it is, without re-deriving it", () => {
      const root = { completion: false, success: 'unknown' as const, satisfied: false, scoreScaled: null };
      const o = attemptOutcome({
        format: 'scorm2004',
        items,
        states: [state('a', { completion: true, success: 'passed' }), state('b', { completion: true, success: 'passed' })],
        root,
      });
      expect(o).to.deep.equal(root);
    });
    it('without a sequencing state yet: completion and success stay apart, every SCO counts', () => {
      expect(status(attemptOutcome({ format: 'scorm2004', items, states: [state('a', { success: 'passed' }), state('b', { completion: true })] }))).to.equal(
        'in-progress',
      );
      expect(
        status(attemptOutcome({ format: 'scorm2004', items, states: [state('a', { completion: true, success: 'passed' }), state('b', { completion: true })] })),
      ).to.equal('passed');
    });
  });

  describe('cmi5: the course is satisfied when the LMS issued "satisfied"', () => {
    const items = Array.from({ length: 8 }, (_, i) => item(`au${i + 1}`, { moveOn: 'CompletedAndPassed' }));
    const two = [
      state('au1', { completion: true, success: 'passed', scoreScaled: 1 }),
      state('au2', { completion: true, success: 'passed', scoreScaled: 0.8 }),
    ];
    it('is neither passed nor completed after 2 of 8 AUs passed while the course is not satisfied', () => {
      const o = attemptOutcome({ format: 'cmi5', items, states: two, courseSatisfied: false });
      expect(o).to.include({ completion: false, success: 'unknown', satisfied: false });
      expect(status(o)).to.equal('in-progress');
    });
    it('is passed once the course is satisfied and the judged AUs passed; waived AUs are not judged', () => {
      const rest = items.slice(2).map((i) => state(i.id, { waived: true }));
      expect(status(attemptOutcome({ format: 'cmi5', items, states: [...two, ...rest], courseSatisfied: true }))).to.equal('passed');
    });
    it('is completed when satisfied without a judged AU, and failed while unsatisfied with a failed AU', () => {
      expect(status(attemptOutcome({ format: 'cmi5', items, states: [], courseSatisfied: true }))).to.equal('completed');
      expect(status(attemptOutcome({ format: 'cmi5', items, states: [state('au1', { success: 'failed' })], courseSatisfied: false }))).to.equal('failed');
    });
  });

  describe('xAPI (tincan.xml): the launched activity', () => {
    const items = [item('act')];
    it('follows its completed, passed and failed', () => {
      expect(status(attemptOutcome({ format: 'xapi', items, states: [] }))).to.equal('in-progress');
      expect(status(attemptOutcome({ format: 'xapi', items, states: [state('act', { completion: true })] }))).to.equal('completed');
      expect(status(attemptOutcome({ format: 'xapi', items, states: [state('act', { success: 'passed' })] }))).to.equal('passed');
      expect(status(attemptOutcome({ format: 'xapi', items, states: [state('act', { completion: true, success: 'failed' })] }))).to.equal('failed');
    });
  });

  describe('from attempts to the module record', () => {
    const a = (success: AttemptOutcome['success'], completion: boolean, scoreScaled: number | null): AttemptOutcome => ({
      success,
      completion,
      satisfied: completion && success !== 'failed',
      scoreScaled,
    });
    it('a partial later attempt never lowers a passed module, and the score stays that of the passing attempt', () => {
      const r = moduleRecord([a('passed', true, 0.9), a('unknown', false, 0.2)]);
      expect(r.status).to.equal('passed');
      expect(r.deciding?.scoreScaled).to.equal(0.9);
    });
    it('a failed post-test, then one content SCO in a new attempt: in progress with that attempt\'s score, not "bestanden 75 %"', () => {
      const r = moduleRecord([a('failed', true, 0.75), a('unknown', false, null)]);
      expect(r.status).to.equal('in-progress');
      expect(r.deciding?.scoreScaled).to.equal(null);
    });
    it('a module passed after a failed attempt is passed by the new attempt, with its score', () => {
      const r = moduleRecord([a('failed', true, 0.4), a('passed', true, 0.85)]);
      expect(r).to.deep.include({ status: 'passed' });
      expect(r.deciding?.scoreScaled).to.equal(0.85);
    });
    it('the newest of equally good attempts decides; no attempt is "not attempted"', () => {
      expect(moduleRecord([a('passed', true, 0.95), a('passed', true, 0.8)]).deciding?.scoreScaled).to.equal(0.8);
      expect(moduleRecord([]).status).to.equal('not-attempted');
    });
  });
});
