import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('privacy: settings', () => {
  it('has the issue’s defaults: 30 days cooling-off, a link for 24 hours, 3 years of inactivity', () => {
    const { privacy } = loadConfig({ NODE_ENV: 'test' });
    expect(privacy).to.include({ erasureCoolOffDays: 30, exportLinkHours: 24, inactiveYears: 3, inactiveGraceDays: 60, auditYears: 3 });
    expect(privacy.operator.name).to.equal(undefined);
  });

  it('stops the start with the variable named when a setting is wrong', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', PRIVACY_ERASURE_COOL_OFF_DAYS: 'dreißig', PRIVACY_EXPORT_LINK_HOURS: '0' }))
      .to.throw(ConfigError)
      .with.property('problems')
      .that.satisfies(
        (p: string[]) => p.some((l) => l.startsWith('PRIVACY_ERASURE_COOL_OFF_DAYS:')) && p.some((l) => l.startsWith('PRIVACY_EXPORT_LINK_HOURS:')),
      );
  });
});
