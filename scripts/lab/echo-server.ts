// The lab's echo Pod: answers every HTTP request with what it saw, as JSON:
//   {"pod","namespace","node","podIP","client":{"address","port"},"method","path","headers"}
// so a test compares the client address a Pod really saw with what exposectl predicted.
// Environment (set by the lab kubelet from the Pod spec): POD_NAME, POD_NAMESPACE,
// NODE_NAME, POD_IP, PORT (default 8080).
import * as http from 'node:http';

const port = Number(process.env['PORT'] ?? '8080');
const server = http.createServer((req, res) => {
  const body = JSON.stringify({
    pod: process.env['POD_NAME'] ?? '',
    namespace: process.env['POD_NAMESPACE'] ?? '',
    node: process.env['NODE_NAME'] ?? '',
    podIP: process.env['POD_IP'] ?? '',
    client: { address: (req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''), port: req.socket.remotePort ?? 0 },
    method: req.method ?? '',
    path: req.url ?? '',
    headers: req.headers,
  });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(`${body}`);
});
server.keepAliveTimeout = 5000;
server.listen(port, '0.0.0.0', () => console.log(`echo ${process.env['POD_NAMESPACE']}/${process.env['POD_NAME']} listening on :${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
