// A scripted BGP speaker for CLI tests on loopback: connects from 127.0.0.2 to the CLI
// (retrying until it listens), establishes a session and advertises routes.
import net from 'node:net';
import { decodeMessage, encodeMessage } from '../../../../src/probes/bgp/codec.js';
import { BgpFramer } from '../../../../src/probes/bgp/framer.js';
import type { BgpMessage } from '../../../../src/probes/bgp/messages.js';

export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** Connects (retrying until the CLI listens), establishes a session and advertises routes. */
export async function speak(port: number, nlri: string[], nextHop: string): Promise<net.Socket> {
  for (let attempt = 0; ; attempt++) {
    try {
      const socket = await new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect({ host: '127.0.0.1', port, localAddress: '127.0.0.2' }, () => resolve(s));
        s.once('error', reject);
      });
      const framer = new BgpFramer();
      const received: BgpMessage[] = [];
      socket.on('data', (chunk) => {
        for (const m of framer.push(chunk).messages) received.push(decodeMessage(m));
      });
      socket.write(
        encodeMessage({
          type: 'open',
          version: 4,
          myAs: 64512,
          holdTime: 30,
          bgpId: '192.0.2.11',
          capabilities: [{ code: 65, kind: 'four-octet-as', asn: 64512 }],
        }),
      );
      for (let i = 0; i < 100 && !received.some((m) => m.type === 'keepalive'); i++)
        await new Promise((r) => setTimeout(r, 50));
      socket.write(encodeMessage({ type: 'keepalive' }));
      socket.write(
        encodeMessage({
          type: 'update',
          withdrawn: [],
          attributes: {
            origin: 'igp',
            asPath: [{ type: 'sequence', asns: [64512] }],
            nextHop,
            communities: [64512 * 65536 + 100],
          },
          nlri,
        }),
      );
      return socket;
    } catch (err) {
      if (attempt > 100) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
