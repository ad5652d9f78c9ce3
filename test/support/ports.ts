/** Loopback ports for tests. */
import { createServer } from 'node:net';

/** A loopback port nothing listens on (taken and given back): an HQ that is down. */
export async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
