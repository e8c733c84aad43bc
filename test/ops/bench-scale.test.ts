import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { benchClock, buildQ1Packages, generateYear, type YearData } from '../../scripts/bench/scale-data.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

describe('bench:scale data generator', function () {
  this.timeout(180_000);
  let app: TestApp;
  let dir: string;
  let year: YearData;

  before(async () => {
    const clock = benchClock();
    app = await startTestApp({ clock });
    dir = await mkdtemp(path.join(os.tmpdir(), 'lotse-bench-scale-'));
    year = await generateYear(app.running, await buildQ1Packages(dir), { learners: 3, cohortSize: 3, stories: 1, clock });
  });
  after(async () => {
    await app?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("makes one cohort whose copied learners have the story learner's Q1 under their own ids", async () => {
    const { counts } = year;
    expect(year.learners).to.have.length(3);
    expect(year.cohorts).to.have.length(1);
    expect(counts.stories).to.equal(1);
    expect(counts.copies).to.equal(2);
    expect(counts.player_attempts).to.equal(9);
    expect(counts.player_progress).to.equal(9);
    // about 100 per learner, and ten "answered" for each final test that ends in a judgement (insight, #19)
    expect(counts.statements).to.be.within(3 * 80, 3 * 160);
    const slugs = year.modules.map((m) => m.slug);
    const db = app.running.connection.db!;
    const perLearner = [];
    for (const l of year.learners) {
      const progress = await app.running.app.player.service.progressFor(l.id, slugs);
      expect(progress.map((p) => p.status)).to.satisfy((s: string[]) => s.every((x) => x === 'completed' || x === 'passed'));
      perLearner.push(await db.collection('lrs_statements').countDocuments({ agents: { $elemMatch: { $regex: l.id } }, registration: { $ne: null } }));
    }
    expect(perLearner[1]).to.equal(perLearner[0]);
    expect(perLearner[2]).to.equal(perLearner[0]);
    const regs = await db.collection('player_attempts').distinct('registration');
    expect(regs).to.have.length(9);
  });

  it('spreads the statements over the year and issues the model learner a certificate', async () => {
    const page = await app.running.app.lrs.getStatements({
      agent: { objectType: 'Agent', account: { homePage: app.url, name: year.learners[2]!.id } },
      limit: 500,
    });
    const statements = page.statements as Array<{ stored: string; actor: { name: string } }>;
    const stored = statements.map((s) => new Date(s.stored).getTime());
    expect(Math.min(...stored)).to.be.below(Date.now() - 300 * 24 * 3600_000);
    expect(statements[0]!.actor.name).to.equal(year.learners[2]!.name);
    expect(year.certificateCodes.length).to.be.at.least(1);
    const res = await fetch(`${app.url}/api/verify/${year.certificateCodes[0]}`);
    expect(res.status).to.equal(200);
  });
});
