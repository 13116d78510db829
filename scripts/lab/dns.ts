// The lab's cluster DNS in one node namespace: answers A queries for the Services' names
// (NAME.NAMESPACE.svc.cluster.local -> ClusterIP; a headless Service -> its ready Pods) from the hosts file the lab kubelet keeps
// up to date (DIR/lab/services.hosts), read again on every query. lab:up starts one per node
// on 127.0.0.1:53 and points the node's /etc/netns/<ns>/resolv.conf at it, for the processes
// that resolve Service names (the hostNetwork gateway's HAProxy).
//
//   node scripts/lab/dns.ts HOSTS_FILE [LISTEN_HOST] [PORT]
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import { dnsAnswer, parseHosts } from './dns-message.ts';

const [hostsFile, host = '127.0.0.1', port = '53'] = process.argv.slice(2);
if (!hostsFile) {
  process.stderr.write('usage: dns.ts HOSTS_FILE [LISTEN_HOST] [PORT]\n');
  process.exit(2);
}
const socket = dgram.createSocket('udp4');
socket.on('message', (msg, from) => {
  let hosts: Map<string, string[]>;
  try {
    hosts = parseHosts(fs.readFileSync(hostsFile, 'utf8'));
  } catch {
    hosts = new Map();
  }
  const answer = dnsAnswer(msg, (n) => hosts.get(n));
  if (answer) socket.send(answer, from.port, from.address);
});
socket.bind(Number(port), host, () => console.log(`lab DNS on ${host}:${port} from ${hostsFile}`));
