import { expect } from 'chai';
import { ConfigError, loadConfig, parseTrustProxy } from '../../src/config.ts';

describe('config: TRUST_PROXY', () => {
  it('reads false, hop counts and proxy addresses; "true" means the one proxy in front', () => {
    expect(parseTrustProxy('false')).to.equal(false);
    expect(parseTrustProxy('0')).to.equal(false);
    expect(parseTrustProxy('true')).to.equal(1);
    expect(parseTrustProxy('2')).to.equal(2);
    expect(parseTrustProxy('loopback, 10.0.0.0/8,  fd00::/8')).to.equal('loopback, 10.0.0.0/8, fd00::/8');
  });

  it('stops the server with a message naming the variable for anything else', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'alle' })).to.throw(ConfigError, /TRUST_PROXY: false, eine Anzahl Proxys/);
  });
});
