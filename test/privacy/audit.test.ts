import { expect } from 'chai';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { privacyOf } from './support.ts';

describe('privacy: the audit trail', function () {
  this.timeout(60_000);
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app.stop());

  it('exports who did what when as CSV for spreadsheets, ids only, formulas defused', async () => {
    const { audit } = await privacyOf(app);
    await audit.record({ actorId: 'admin1', action: 'role-change', targetId: 'user1', details: { roles: ['learner', 'trainer'] } });
    await audit.record({ actorId: 'trainer1', action: 'evidence-decision', targetId: 'user2', details: { kind: 'workshop', decision: '=HYPERLINK("x")' } });
    const csv = await audit.csv();
    expect(csv.startsWith('\uFEFFZeitpunkt (UTC);Handelnde Person (ID);Aktion;Betroffen (ID);Details\r\n')).to.equal(true);
    const lines = csv.trim().split('\r\n');
    expect(lines).to.have.length(3);
    expect(lines[1]).to.match(/^\d{4}-\d\d-\d\dT[^;]+;trainer1;evidence-decision;user2;"\{""kind"":""workshop"",""decision"":""=HYPERLINK\(\\""x\\""\)""\}"$/);
    expect(lines[2]).to.match(/;admin1;role-change;user1;"\{""roles"":\[""learner"",""trainer""\]\}"$/);
  });

  it('lists the newest first and filters by action', async () => {
    const { audit } = await privacyOf(app);
    expect((await audit.list({})).map((e) => e.action)).to.deep.equal(['evidence-decision', 'role-change']);
    expect((await audit.list({ action: 'role-change' })).map((e) => e.actorId)).to.deep.equal(['admin1']);
  });
});
