import { expect } from 'chai';
import { objectivesPackage, sequencingPackage } from '../fixtures/player/sequencing-packages.ts';
import { startTestApp, type Agent, type TestApp } from '../support/test-app.ts';
import { commit, launch, publishPackage } from './support.ts';

/**
 * Global objectives beyond one attempt: adlseq:objectivesGlobalToSystem (true by default, CAM 4th Ed.
 * 3.4.1.5) makes them the learner's across the system, so another course (or a new attempt) reads
 * what an earlier one wrote; "false" keeps them inside each attempt of that course.
 */
describe('player: SCORM 2004 global objectives beyond the attempt', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ env: { LOG_LEVEL: process.env.PLAYER_LOG ?? 'silent' } });
  });
  after(async () => app.stop());

  /** A one-SCO course whose SCO reads the global objective "obj-verstanden" into its objective "vorher". */
  const readerPackage = (objectivesGlobalToSystem: boolean) =>
    sequencingPackage({
      identifier: `com.example.seq.reader-${objectivesGlobalToSystem}`,
      title: 'Leser',
      ...(objectivesGlobalToSystem ? {} : { orgAttrs: 'adlseq:objectivesGlobalToSystem="false"' }),
      items: [
        {
          id: 'lesen',
          title: 'Lesen',
          sequencing: `
    <imsss:objectives>
      <imsss:primaryObjective objectiveID="lesen-primary"/>
      <imsss:objective objectiveID="vorher"><imsss:mapInfo targetObjectiveID="obj-verstanden" readSatisfiedStatus="true" readNormalizedMeasure="true"/></imsss:objective>
    </imsss:objectives>`,
        },
      ],
    });

  /** In the objectives course, "Lernen" reports its objective "verstanden" passed at 0.8 (written to "obj-verstanden"). */
  async function learnVerstanden(agent: Agent, moduleId: string) {
    const one = await launch(agent, moduleId);
    expect(one.config.itemId).to.equal('lernen');
    const ids = Object.entries(one.config.scorm!.cmi)
      .filter(([k]) => /^cmi\.objectives\.\d+\.id$/.test(k))
      .map(([, v]) => v);
    expect(ids).to.deep.equal(['lernen-bestanden', 'verstanden', 'vorwissen']);
    await commit(
      agent,
      one.config,
      1,
      {
        'cmi.objectives.0.id': 'lernen-bestanden',
        'cmi.objectives.1.id': 'verstanden',
        'cmi.objectives.1.success_status': 'passed',
        'cmi.objectives.1.score.scaled': '0.8',
        'cmi.objectives.2.id': 'vorwissen',
        'cmi.completion_status': 'completed',
        'cmi.score.scaled': '0.8',
        'adl.nav.request': 'exitAll',
      },
      { terminate: true },
    );
    expect((await app.running.app.player.repo.findAttempt(one.attemptId))?.state).to.equal('ended');
  }

  it("gives another course the learner's global objective (objectivesGlobalToSystem, true by default)", async () => {
    const writer = await publishPackage(app, objectivesPackage(), 'seq-globals-writer');
    const reader = await publishPackage(app, readerPackage(true), 'seq-globals-reader');
    const { agent } = await app.loggedIn();
    await learnVerstanden(agent, writer.module.id);
    const { config } = await launch(agent, reader.module.id);
    expect(config.scorm!.cmi['cmi.objectives.1.id']).to.equal('vorher');
    expect(config.scorm!.cmi['cmi.objectives.1.success_status']).to.equal('passed');
    expect(config.scorm!.cmi['cmi.objectives.1.score.scaled']).to.equal('0.8');

    // another learner has nothing of it
    const other = await app.loggedIn();
    const theirs = await launch(other.agent, reader.module.id);
    expect(theirs.config.scorm!.cmi).to.not.have.property('cmi.objectives.1.success_status');
  });

  it('keeps a course to its own global objectives where it says objectivesGlobalToSystem="false"', async () => {
    const writer = await publishPackage(app, objectivesPackage(), 'seq-globals-writer2');
    const reader = await publishPackage(app, readerPackage(false), 'seq-globals-local');
    const { agent } = await app.loggedIn();
    await learnVerstanden(agent, writer.module.id);
    const { config } = await launch(agent, reader.module.id);
    expect(config.scorm!.cmi['cmi.objectives.1.id']).to.equal('vorher');
    expect(config.scorm!.cmi).to.not.have.property('cmi.objectives.1.success_status');
    expect(config.scorm!.cmi).to.not.have.property('cmi.objectives.1.score.scaled');
  });

  it("gives another course the learner's shared data store (adlcp:data, sharedDataGlobalToSystem by default)", async () => {
    const writer = await publishPackage(app, objectivesPackage(), 'seq-data-writer');
    const reader = await publishPackage(
      app,
      sequencingPackage({
        identifier: 'com.example.seq.data-reader',
        title: 'Notizen lesen',
        items: [
          { id: 'lesen', title: 'Lesen', extra: '<adlcp:data><adlcp:map targetID="notizen" readSharedData="true" writeSharedData="false"/></adlcp:data>' },
        ],
      }),
      'seq-data-reader',
    );
    const { agent } = await app.loggedIn();
    const one = await launch(agent, writer.module.id);
    expect(one.config.scorm!.cmi['adl.data.0.id']).to.equal('notizen');
    await commit(
      agent,
      one.config,
      1,
      { 'adl.data.0.store': 'Moderationskoffer packen', 'cmi.completion_status': 'completed', 'adl.nav.request': 'exitAll' },
      { terminate: true },
    );
    const { config } = await launch(agent, reader.module.id);
    expect(config.scorm!.cmi['adl.data.0.id']).to.equal('notizen');
    expect(config.scorm!.cmi['adl.data.0.store']).to.equal('Moderationskoffer packen');
  });
});
