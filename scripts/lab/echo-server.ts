// The lab's echo Pod: answers every HTTP request with what it saw, as JSON:
//   {"pod","namespace","node","podIP","client":{"address","port"},"method","path","headers"}
// so a test compares the client address a Pod really saw with what exposectl predicted.
// Environment (set by the lab kubelet from the Pod spec): POD_NAME, POD_NAMESPACE,
// NODE_NAME, POD_IP, PORT (default 8080).
// It also plays agnhost's `netexec --http-port=N` (the echo `diagnose source-ip --probe`
// deploys): those arguments are accepted; GET /clientip answers "ip:port", /hostname the
// Pod's hostname and /header?key=K the value of header K, as netexec does.
// A connection that starts with a PROXY protocol header (v1 or v2: `expose --mode hostnetwork
// --preserve-source-ip`) is read as an application behind such a gateway would: the answer
// carries the client address of the header in "proxyProtocol", the TCP peer in "client".
import * as http from 'node:http';
import * as net from 'node:net';
import { parseProxyHeader } from './proxy-protocol.ts';

const portArg = process.argv
  .slice(2)
  .map((a) => /^--http-port=([0-9]+)$/.exec(a)?.[1])
  .find(Boolean);
const port = Number(portArg ?? process.env.PORT ?? '8080');
/** The client address of each connection's PROXY header. */
const proxied = new WeakMap<net.Socket, { address: string; port: number }>();

const server = http.createServer((req, res) => {
  const address = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  if (req.url === '/clientip') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`${address}:${req.socket.remotePort ?? 0}`);
    return;
  }
  if (req.url === '/hostname') {
    // netexec's /hostname: the Pod's hostname (its name), what probe reach --count counts Pods by
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(process.env.HOSTNAME ?? process.env.POD_NAME ?? '');
    return;
  }
  const url = new URL(req.url ?? '/', 'http://echo');
  if (url.pathname === '/header') {
    // netexec's /header?key=K: the value of request header K (empty when absent)
    const v = req.headers[(url.searchParams.get('key') ?? '').toLowerCase()];
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(Array.isArray(v) ? v.join(', ') : (v ?? ''));
    return;
  }
  const body = JSON.stringify({
    pod: process.env.POD_NAME ?? '',
    namespace: process.env.POD_NAMESPACE ?? '',
    node: process.env.NODE_NAME ?? '',
    podIP: process.env.POD_IP ?? '',
    client: { address, port: req.socket.remotePort ?? 0 },
    ...(proxied.has(req.socket) ? { proxyProtocol: proxied.get(req.socket) } : {}),
    method: req.method ?? '',
    path: req.url ?? '',
    headers: req.headers,
  });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(`${body}`);
});
server.keepAliveTimeout = 5000;

// Reads the first bytes: a PROXY header is taken off, the rest goes to the HTTP server.
const front = net.createServer((socket) => {
  let buf = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    const h = parseProxyHeader(buf);
    if (h.kind === 'incomplete') return;
    socket.off('data', onData);
    socket.pause();
    if (h.kind === 'invalid') {
      console.log(`dropped a connection: ${h.reason}`);
      socket.destroy();
      return;
    }
    if (h.kind === 'proxy' && h.source) proxied.set(socket, h.source);
    socket.unshift(h.kind === 'proxy' ? buf.subarray(h.length) : buf);
    server.emit('connection', socket);
    socket.resume();
  };
  socket.on('data', onData);
  socket.on('error', () => socket.destroy());
});
front.listen(port, '0.0.0.0', () =>
  console.log(`echo ${process.env.POD_NAMESPACE}/${process.env.POD_NAME} listening on :${port}`),
);
process.on('SIGTERM', () => {
  front.close();
  server.close(() => process.exit(0));
});
