import { expect } from 'chai';
import { Schema } from 'mongoose';
import { undeclaredCollections } from '../../src/privacy/coverage.ts';
import { createPrivacyRegistry } from '../../src/privacy/registry.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { privacyOf } from './support.ts';

describe('privacy: the register covers every collection', function () {
  this.timeout(60_000);
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
    await privacyOf(app);
    // a signed-in visitor, so that the sessions collection exists too
    await app.loggedIn(['learner']);
  });
  after(async () => app.stop());

  it('declares every model of every component and every collection in the database', async () => {
    const { registry } = await privacyOf(app);
    expect(await undeclaredCollections(app.running.connection, registry)).to.deep.equal([]);
  });

  it('fails for a collection holding a user id that no entry declares', async () => {
    const { registry } = await privacyOf(app);
    const connection = app.running.connection;
    const Notes = connection.model('PrivacyTestNotes', new Schema({ userId: String, text: String }, { collection: 'learner_notes' }));
    try {
      await Notes.create({ userId: 'abc', text: 'x' });
      expect(await undeclaredCollections(connection, registry)).to.deep.equal(['learner_notes']);
    } finally {
      connection.deleteModel('PrivacyTestNotes');
      await connection.db!.dropCollection('learner_notes');
    }
  });

  it('refuses a collection claimed by two components', () => {
    const entry = (component: string) => ({
      component,
      collections: [{ name: 'users', fields: ['x'], purpose: 'p' }],
      export: async () => {},
      erase: async () => {},
    });
    expect(() => createPrivacyRegistry([entry('accounts'), entry('other')])).to.throw('privacy: collection users is declared by accounts and other');
  });

  it('erases accounts last and the LRS first', async () => {
    const { registry } = await privacyOf(app);
    const order = registry.entries.map((e) => e.component);
    expect(order[0]).to.equal('lrs');
    expect(order[order.length - 1]).to.equal('accounts');
  });
});
