/**
 * A loopback TCP proxy that can cut connections at chosen moments, to test what a client does when the network
 * fails. `cutNextResponses(n)` lets the next n requests reach the server but destroys the connection as soon as
 * the server starts answering: the server has done the work, the client never hears it. `setDown(true)` makes
 * HQ unreachable: every connection is reset after its first bytes, which are kept in `attempts` (the request
 * line and when it came), so a test can see how often a client tried.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface FaultProxy {
  port: number;
  url: string;
  /** Answers cut so far. */
  readonly cuts: number;
  cutNextResponses(count: number): void;
  setDown(down: boolean): void;
  /** Requests that reached the proxy while it was down: their request line and arrival time. */
  readonly attempts: readonly { line: string; at: number }[];
  close(): Promise<void>;
}

export async function startFaultProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<FaultProxy> {
  let toCut = 0;
  let cuts = 0;
  let down = false;
  const attempts: { line: string; at: number }[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (down) {
      client.once('data', (chunk: Buffer) => {
        attempts.push({ line: chunk.toString('latin1').split('\r\n')[0]!, at: Date.now() });
        client.resetAndDestroy();
      });
      client.on('error', () => {});
      return;
    }
    const upstream = connect(targetPort, targetHost);
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (toCut > 0) {
        toCut -= 1;
        cuts += 1;
        drop();
        return;
      }
      client.write(chunk);
    });
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get cuts() {
      return cuts;
    },
    cutNextResponses(count: number) {
      toCut = count;
    },
    setDown(value: boolean) {
      down = value;
      if (value) for (const socket of sockets) socket.destroy();
    },
    attempts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
