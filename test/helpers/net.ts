// Loopback helpers for tests of unreachable servers.
import { type AddressInfo, createServer } from 'node:net';

/** A loopback port that nothing listens on (bound, then closed): connecting is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
