import type http from 'node:http';

/**
 * Lets an HTTP server stop without cutting anyone off. Made when the server is created, so it knows
 * the responses under way. On close: no new connections; every response not yet begun says
 * `Connection: close`, so keep-alive clients open their next request elsewhere (another instance
 * behind the proxy) instead of reusing this one; idle connections close at once, busy ones as soon
 * as their response is written. Only requests still running after `graceMs` are cut off.
 */
export function gracefulClose(server: http.Server): { close(graceMs: number): Promise<void> } {
  const underWay = new Set<http.ServerResponse>();
  let closing = false;
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    if (closing) res.setHeader('Connection', 'close');
    underWay.add(res);
    res.once('close', () => underWay.delete(res));
  });
  return {
    close(graceMs) {
      closing = true;
      for (const res of underWay) if (!res.headersSent) res.setHeader('Connection', 'close');
      return new Promise<void>((resolve) => {
        const cutOff = setTimeout(() => server.closeAllConnections(), graceMs);
        cutOff.unref();
        server.close(() => {
          clearTimeout(cutOff);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
