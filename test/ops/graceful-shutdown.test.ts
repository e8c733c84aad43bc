import net from 'node:net';
import { expect } from 'chai';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/** A raw HTTP/1.1 connection, so the test decides when each byte of a request is sent. */
function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

function readResponse(socket: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const head = text.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text)?.[1];
      if (head >= 0 && length !== undefined && text.length >= head + 4 + Number(length)) {
        socket.off('data', onData);
        resolve(text);
      }
    };
    socket.on('data', onData);
  });
}

const closed = (socket: net.Socket) => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));

describe('graceful shutdown', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });

  it('finishes a request that is under way, closes keep-alive connections, then closes the database', async () => {
    const port = new URL(app.url).port;
    // an idle keep-alive connection and one whose request body is only half sent
    const idle = await connect(Number(port));
    idle.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n');
    expect(await readResponse(idle)).to.match(/^HTTP\/1\.1 200/);
    const busy = await connect(Number(port));
    const body = 'email=a%40example.org&password=x';
    busy.write(
      `POST /login HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((r) => setTimeout(r, 200));

    const stopped = app.running.stop();
    await closed(idle); // idle connections go at once
    let stopDone = false;
    void stopped.then(() => (stopDone = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(stopDone, 'stop waits for the running request').to.equal(false);
    expect(app.running.connection.readyState, 'database still open for it').to.equal(1);

    const answer = readResponse(busy);
    busy.write(body.slice(10));
    const response = await answer;
    expect(response).to.match(/^HTTP\/1\.1 (403|401|302) /); // answered in full (the form has no CSRF token)
    expect(response).to.match(/\r\nConnection: close\r\n/i);
    await closed(busy);
    await stopped;
    expect(app.running.connection.readyState, 'database closed after the last request').to.equal(0);
    const refused = await connect(Number(port)).then(
      (s) => (s.destroy(), false),
      () => true,
    );
    expect(refused, 'no new connections').to.equal(true);
  });
});
