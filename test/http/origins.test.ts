import { expect } from 'chai';
import type { Request } from 'express';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { createOrigins } from '../../src/http/origins.ts';

/** A request as the origin pairing sees it: protocol and Host header. */
const req = (host: string | undefined, protocol = 'http') =>
  ({ protocol, host, get: (name: string) => (name.toLowerCase() === 'host' ? host : undefined) }) as unknown as Request;

const origins = (opts: { publicUrl?: string; contentOrigin?: string } = {}) =>
  createOrigins({
    publicUrl: opts.publicUrl,
    contentOrigin: opts.contentOrigin,
    actualPublicUrl: () => opts.publicUrl ?? 'http://localhost:3000',
    platformPort: () => 3000,
    contentPort: () => 3001,
  });

describe('http: the platform origin and the content origin', () => {
  it('pairs localhost with 127.0.0.1 (no shared cookies) and keeps any other host on the content port', () => {
    const o = origins();
    expect(o.contentFor(req('localhost:3000'))).to.equal('http://127.0.0.1:3001');
    expect(o.contentFor(req('127.0.0.1:3000'))).to.equal('http://localhost:3001');
    expect(o.contentFor(req('lotse.lan:3000'))).to.equal('http://lotse.lan:3001');
    expect(o.contentFor(req('192.168.1.20:3000'))).to.equal('http://192.168.1.20:3001');
    // and back: the content listener names the platform page that may frame it
    expect(o.platformFor(req('127.0.0.1:3001'))).to.equal('http://localhost:3000');
    expect(o.platformFor(req('lotse.lan:3001'))).to.equal('http://lotse.lan:3000');
    expect(o.content()).to.equal('http://127.0.0.1:3001');
  });

  it('ignores a Host header that is not a plain host and falls back to the public URL', () => {
    const o = origins();
    for (const host of [undefined, 'evil.example; script-src *', 'a b', 'x/y:1']) {
      expect(o.contentFor(req(host)), String(host)).to.equal('http://127.0.0.1:3001');
      expect(o.platformFor(req(host)), String(host)).to.equal('http://localhost:3000');
    }
  });

  it('in the sandbox fallback, names our own origin for content and "null" comes from its documents', () => {
    const o = createOrigins({
      publicUrl: undefined,
      contentOrigin: undefined,
      sandboxed: true,
      actualPublicUrl: () => 'http://localhost:3000',
      platformPort: () => 3000,
      contentPort: () => 3001,
    });
    expect(o.sandboxed).to.equal(true);
    expect(o.contentFor(req('lotse.lan:3000'))).to.equal('http://lotse.lan:3000');
    expect(o.content()).to.equal('http://localhost:3000');
  });

  it('uses the configured origins whatever the request says', () => {
    const o = origins({ publicUrl: 'https://lotse.example.de', contentOrigin: 'https://inhalte.lotse.example.de' });
    expect(o.contentFor(req('elsewhere:3000'))).to.equal('https://inhalte.lotse.example.de');
    expect(o.platformFor(req('inhalte.lotse.example.de'))).to.equal('https://lotse.example.de');
    // PUBLIC_URL alone: the content origin is paired with it
    expect(origins({ publicUrl: 'http://lotse.lan:3000' }).contentFor(req('localhost:3000'))).to.equal('http://lotse.lan:3001');
  });

  it('refuses a content origin with a path, one equal to PUBLIC_URL, and a content port equal to PORT', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ NODE_ENV: 'test', ...env });
        return [];
      } catch (err) {
        return (err as ConfigError).problems;
      }
    };
    expect(problems({ CONTENT_ORIGIN: 'https://inhalte.example.de/pakete' }).join()).to.contain('CONTENT_ORIGIN');
    expect(problems({ CONTENT_ORIGIN: 'https://lotse.example.de', PUBLIC_URL: 'https://lotse.example.de/' }).join()).to.contain('anderer Origin');
    expect(problems({ PORT: '4000', CONTENT_PORT: '4000' }).join()).to.contain('CONTENT_PORT');
    // a fixed content origin cannot follow the host of each request: it needs the platform's fixed URL too
    expect(problems({ CONTENT_ORIGIN: 'https://inhalte.example.de' }).join()).to.contain('CONTENT_ORIGIN: nur zusammen mit PUBLIC_URL');
    const ok = loadConfig({ NODE_ENV: 'test', PORT: '4000', PUBLIC_URL: 'https://lotse.example.de', CONTENT_ORIGIN: 'https://inhalte.example.de/' });
    expect(ok).to.deep.include({ contentPort: 4001, contentOrigin: 'https://inhalte.example.de' });
    expect(loadConfig({ NODE_ENV: 'test', PORT: '0' }).contentPort).to.equal(0);
    expect(problems({ CONTENT_ISOLATION: 'none' }).join()).to.contain('CONTENT_ISOLATION');
    // the fallback has no second listener, so its port does not matter
    expect(loadConfig({ NODE_ENV: 'test', PORT: '4000', CONTENT_PORT: '4000', CONTENT_ISOLATION: 'sandbox' }).contentIsolation).to.equal('sandbox');
  });
});
