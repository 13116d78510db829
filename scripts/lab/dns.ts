// The lab's cluster DNS in one node namespace: answers A and SRV queries for the Services'
// names (scripts/lab/dns-zone.ts: NAME.NAMESPACE.svc.cluster.local -> ClusterIP, a headless
// Service -> its ready Pods, _PORT._PROTO.NAME... -> SRV) from the zone file the lab kubelet
// keeps up to date (DIR/lab/services.zone.json), read again on every query. lab:up starts
// one per node on 127.0.0.1:53 and points the node's /etc/netns/<ns>/resolv.conf at it, for
// the processes that resolve Service names (the hostNetwork gateway's HAProxy or nginx).
//
//   node scripts/lab/dns.ts ZONE_FILE [LISTEN_HOST] [PORT]
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import { dnsAnswer, parseZone } from './dns-message.ts';

const [zoneFile, host = '127.0.0.1', port = '53'] = process.argv.slice(2);
if (!zoneFile) {
  process.stderr.write('usage: dns.ts ZONE_FILE [LISTEN_HOST] [PORT]\n');
  process.exit(2);
}
const socket = dgram.createSocket('udp4');
socket.on('message', (msg, from) => {
  let text = '';
  try {
    text = fs.readFileSync(zoneFile, 'utf8');
  } catch {
    // not written yet: every name is unknown
  }
  const answer = dnsAnswer(msg, parseZone(text));
  if (answer) socket.send(answer, from.port, from.address);
});
socket.bind(Number(port), host, () => console.log(`lab DNS on ${host}:${port} from ${zoneFile}`));
