// The nginx.conf of the hostNetwork gateway (nginx stream module): one `server` per
// listen port, proxy_pass to the Service's ClusterIP DNS name, PROXY protocol towards the
// backend when the client address must be preserved (nginx sends version 1).
// The official nginx image has the stream module built in; a distribution nginx with a
// dynamic stream module needs `load_module` in front (the tests add it).
import {
  configPort,
  type GatewayConfigInput,
  type GatewayListener,
  generatedHeader,
  hostPort,
} from './haproxy-config.js';

export function nginxConfig(input: GatewayConfigInput): string {
  const lines: string[] = [
    ...generatedHeader(input),
    '# The Service name is resolved once at start (a ClusterIP does not change).',
    'worker_processes auto;',
    'error_log stderr notice;',
    '',
    'events {',
    '    worker_connections 4096;',
    '}',
    '',
    'stream {',
    "    log_format exposectl '$remote_addr [$time_local] $protocol $server_port -> $upstream_addr $status $bytes_sent $bytes_received $session_time';",
    '    access_log /dev/stdout exposectl;',
  ];
  for (const l of input.listeners) {
    if (input.sticky) lines.push(...nginxStickyUpstream(l));
    const listen = `${input.bindAddress ? hostPort(input.bindAddress, l.listenPort) : String(configPort(l.listenPort, 'listen port'))}${l.protocol === 'UDP' ? ' udp' : ''}`;
    lines.push(
      '',
      '    server {',
      `        listen ${listen};`,
      `        proxy_pass ${input.sticky ? upstreamName(l) : hostPort(l.backendHost, l.backendPort)};`,
    );
    if (l.protocol === 'UDP') {
      lines.push('        proxy_timeout 30s;');
    } else {
      lines.push('        proxy_connect_timeout 5s;', '        proxy_timeout 1h;');
      if (input.proxyProtocol) lines.push('        proxy_protocol on;');
    }
    lines.push('    }');
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function upstreamName(l: GatewayListener): string {
  return `be_${l.protocol.toLowerCase()}_${configPort(l.listenPort, 'listen port')}`;
}

/**
 * A sticky upstream: `hash $remote_addr` sends one client to one Pod for as long as the
 * set of Pods nginx knows is the same (open-source nginx has no sticky timeout). A host
 * name resolves, once at start, to every Pod address of the headless Service.
 */
function nginxStickyUpstream(l: GatewayListener): string[] {
  const ep = l.endpoints;
  if (!ep || 'srv' in ep) throw new Error(`sticky listener ${l.listenPort} needs endpoints as host and port for nginx`);
  const servers = 'host' in ep ? [hostPort(ep.host, ep.port)] : ep.addresses.map((a) => hostPort(a, ep.port));
  return [
    '',
    `    upstream ${upstreamName(l)} {`,
    '        hash $remote_addr;',
    ...servers.map((s) => `        server ${s};`),
    '    }',
  ];
}
