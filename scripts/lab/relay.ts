// Relays the API server into the lab's network namespaces (it listens on the host's
// loopback, which a namespace cannot reach). Unix sockets are not per network namespace,
// so two halves meet at one socket file:
//   node scripts/lab/relay.ts host SOCKET TARGET_HOST TARGET_PORT    (on the host)
//   node scripts/lab/relay.ts netns LISTEN_HOST LISTEN_PORT SOCKET   (inside a namespace)
// Bytes only (TLS goes end to end): the serving certificate names 127.0.0.1.
import * as fs from 'node:fs';
import * as net from 'node:net';

function pipe(a: net.Socket, b: net.Socket): void {
  a.pipe(b);
  b.pipe(a);
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
  a.on('close', () => b.destroy());
  b.on('close', () => a.destroy());
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'host' && args.length === 3) {
  const [socket, host, port] = args as [string, string, string];
  fs.rmSync(socket, { force: true });
  net
    .createServer((c) => pipe(c, net.connect(Number(port), host)))
    .listen(socket, () => console.log(`relaying ${socket} to ${host}:${port}`));
} else if (mode === 'netns' && args.length === 3) {
  const [host, port, socket] = args as [string, string, string];
  net
    .createServer((c) => pipe(c, net.connect(socket)))
    .listen(Number(port), host, () => console.log(`relaying ${host}:${port} to ${socket}`));
} else {
  process.stderr.write(
    'usage: relay.ts host SOCKET TARGET_HOST TARGET_PORT | relay.ts netns LISTEN_HOST LISTEN_PORT SOCKET\n',
  );
  process.exit(2);
}
