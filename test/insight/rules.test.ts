import { expect } from 'chai';
import { whoNeedsAttention } from '../../src/insight/attention.ts';
import type { ModuleActivityDoc } from '../../src/insight/model.ts';
import { judgementsOf } from '../../src/insight/projection.ts';
import { responseLabel } from '../../src/insight/question-stats.ts';
import { fiveNumbers, weeksBetween, weekStart } from '../../src/insight/stats.ts';
import type { RosterRow } from '../../src/qualification/roster.ts';

const DAY = 86_400_000;
const now = new Date('2026-06-30T12:00:00Z');
const ago = (days: number) => new Date(now.getTime() - days * DAY);
const row = (id: string, status: RosterRow['q1'][number]['status']): RosterRow => ({
  learnerId: id,
  name: id,
  email: `${id}@example.org`,
  organisation: '',
  region: 'saarland',
  registration: 'member',
  authorisation: 'verified',
  workshop: 'verified',
  q1: [{ moduleSlug: 'technik', title: 'Q1 · Technik', status }],
  attendance: [],
});
const act = (id: string, firstDaysAgo: number, doneDaysAgo: number | null): ModuleActivityDoc => ({
  learnerId: id,
  moduleSlug: 'technik',
  firstAt: ago(firstDaysAgo),
  lastAt: ago(1),
  doneAt: doneDaysAgo === null ? null : ago(doneDaysAgo),
  failedCount: 0,
});

describe('insight: the rules behind the figures', () => {
  it('flags a module in progress more than twice the median time the cohort took to finish it', () => {
    // finished in 4, 5 and 6 days (median 5): 11 days in progress is slow, 10 is not
    const rows = [row('a', 'passed'), row('b', 'passed'), row('c', 'passed'), row('slow', 'in-progress'), row('ok', 'in-progress')];
    const activity = [act('a', 10, 6), act('b', 10, 5), act('c', 10, 4), act('slow', 11, null), act('ok', 10, null)];
    const items = whoNeedsAttention(rows, activity, now);
    expect(items.map((i) => [i.learnerId, i.code, i.days, i.medianDays])).to.deep.equal([['slow', 'slow', 11, 5]]);
  });

  it('needs three finished learners before anyone counts as slow', () => {
    const items = whoNeedsAttention(
      [row('a', 'passed'), row('b', 'passed'), row('slow', 'in-progress')],
      [act('a', 10, 6), act('b', 10, 5), act('slow', 40, null)],
      now,
    );
    expect(items).to.deep.equal([]);
  });

  it('counts a module done at its first pass, and a completion only where nothing failed', () => {
    const at = (d: number) => ago(d);
    expect(judgementsOf([{ kind: 'completed', at: at(3) }])).to.deep.equal({ doneAt: at(3), failedCount: 0 });
    expect(
      judgementsOf([
        { kind: 'completed', at: at(5) },
        { kind: 'failed', at: at(5) },
      ]),
    ).to.deep.equal({ doneAt: null, failedCount: 1 });
    expect(
      judgementsOf([
        { kind: 'failed', at: at(5) },
        { kind: 'passed', at: at(2) },
        { kind: 'completed', at: at(5) },
      ]),
    ).to.deep.equal({ doneAt: at(2), failedCount: 1 });
  });

  it('names responses by their choice texts where the package gave them', () => {
    const choices = [
      { id: 'a', text: 'Zuhören' },
      { id: 'c', text: 'Fragen' },
    ];
    expect(responseLabel('a[,]c', choices)).to.equal('Zuhören + Fragen');
    expect(responseLabel('a,b', choices)).to.equal('Zuhören + b');
    expect(responseLabel('', choices)).to.equal('–');
  });

  it('computes quartiles as spreadsheets do and weeks from Monday', () => {
    expect(fiveNumbers([3, 10, 12, 20])).to.deep.equal({ min: 3, q1: 8.25, median: 11, q3: 14, max: 20 });
    expect(fiveNumbers([])).to.equal(null);
    expect(weekStart(new Date('2026-07-05T23:00:00Z')).toISOString()).to.equal('2026-06-29T00:00:00.000Z');
    expect(weeksBetween(new Date('2026-06-01T10:00:00Z'), new Date('2026-06-15T10:00:00Z')).map((d) => d.toISOString().slice(0, 10))).to.deep.equal([
      '2026-06-01',
      '2026-06-08',
      '2026-06-15',
    ]);
  });
});
