// Reads the forwarding rules out of HAProxy and nginx configuration text: which ports a
// proxy listens on (and whether it expects PROXY protocol there), where it forwards
// (host:port), in TCP or HTTP mode, with or without PROXY protocol or X-Forwarded-For.
// Tolerant: unknown directives are ignored. Pure.

export interface ProxyListen {
  port: number;
  /** HAProxy `accept-proxy` on the bind line; nginx `listen ... proxy_protocol`. */
  acceptProxy: boolean;
  mode: 'tcp' | 'http';
  /** 1-based line in the config text. */
  line: number;
}

export interface ProxyForward {
  /** The listen ports whose traffic takes this way (empty when not known). */
  fromPorts: number[];
  mode: 'tcp' | 'http';
  host: string;
  port: number | undefined;
  /** HAProxy send-proxy / send-proxy-v2; nginx `proxy_protocol on`. */
  sendProxy: false | 'v1' | 'v2';
  /** HTTP mode: the proxy adds the client address in X-Forwarded-For (HAProxy `option forwardfor`; nginx proxy_set_header X-Forwarded-For). */
  forwardedFor: boolean;
  line: number;
  /** The directive as written, for messages. */
  text: string;
}

export interface ProxyConfig {
  kind: 'haproxy' | 'nginx';
  listens: ProxyListen[];
  forwards: ProxyForward[];
  /** nginx http: the client address is taken from a trusted header (real_ip_header + set_real_ip_from). */
  trustsForwardedHeaders: boolean;
}

/** Splits `host:port`, `[v6]:port`, `http://host:port/path`; port undefined when absent. */
export function splitHostPort(text: string): { host: string; port: number | undefined } {
  let t = text.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
  t = t.replace(/^ipv[46]@/, '');
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (v6) return { host: v6[1]!, port: v6[2] ? Number(v6[2]) : undefined };
  const m = /^(.*?)(?::(\d+))?$/.exec(t)!;
  if ((m[1] ?? '').includes(':')) return { host: t, port: undefined }; // bare IPv6
  return { host: m[1] ?? '', port: m[2] ? Number(m[2]) : undefined };
}

function portOfBind(addr: string): number | undefined {
  const { port } = splitHostPort(addr.replace(/^\*/, '0.0.0.0'));
  if (port !== undefined) return port;
  return /^\d+$/.test(addr) ? Number(addr) : undefined;
}

// ---- HAProxy ----------------------------------------------------------------------

interface HaSection {
  type: string;
  name: string;
  mode?: 'tcp' | 'http';
  forwardfor: boolean;
  binds: Array<{ port: number; acceptProxy: boolean; line: number }>;
  defaultBackend?: string;
  useBackends: string[];
  servers: Array<{
    host: string;
    port: number | undefined;
    sendProxy: false | 'v1' | 'v2';
    line: number;
    text: string;
  }>;
  defaultServerProxy: false | 'v1' | 'v2';
}

const SECTIONS = new Set([
  'global',
  'defaults',
  'frontend',
  'backend',
  'listen',
  'resolvers',
  'peers',
  'userlist',
  'program',
  'http-errors',
  'ring',
  'cache',
  'mailers',
]);

function sendProxyOf(words: string[]): false | 'v1' | 'v2' {
  if (words.some((w) => w.startsWith('send-proxy-v2'))) return 'v2';
  if (words.includes('send-proxy')) return 'v1';
  return false;
}

export function parseHaproxy(text: string): ProxyConfig {
  const sections: HaSection[] = [];
  let defaults: HaSection | undefined;
  let cur: HaSection | undefined;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') return;
    const words = line.split(/\s+/);
    const head = words[0]!;
    if (SECTIONS.has(head) && !raw.startsWith(' ') && !raw.startsWith('\t')) {
      cur = {
        type: head,
        name: words[1] ?? '',
        forwardfor: false,
        binds: [],
        useBackends: [],
        servers: [],
        defaultServerProxy: false,
      };
      if (head === 'defaults') {
        // A new defaults section starts from scratch (named defaults are not followed).
        defaults = cur;
      } else {
        if (defaults) {
          if (defaults.mode) cur.mode = defaults.mode;
          cur.forwardfor = defaults.forwardfor;
          cur.defaultServerProxy = defaults.defaultServerProxy;
        }
        sections.push(cur);
      }
      return;
    }
    if (!cur) return;
    if (head === 'mode' && (words[1] === 'tcp' || words[1] === 'http')) cur.mode = words[1];
    else if (head === 'option' && words[1] === 'forwardfor') cur.forwardfor = true;
    else if (head === 'no' && words[1] === 'option' && words[2] === 'forwardfor') cur.forwardfor = false;
    else if (head === 'bind') {
      const accept = words.includes('accept-proxy');
      for (const addr of (words[1] ?? '').split(',')) {
        const port = portOfBind(addr);
        if (port !== undefined) cur.binds.push({ port, acceptProxy: accept, line: i + 1 });
      }
    } else if (head === 'default_backend' && words[1]) cur.defaultBackend = words[1];
    else if (head === 'use_backend' && words[1]) cur.useBackends.push(words[1]);
    else if (head === 'default-server') cur.defaultServerProxy = sendProxyOf(words) || cur.defaultServerProxy;
    else if ((head === 'server' && words[2]) || (head === 'server-template' && words[3])) {
      // `server-template PREFIX N FQDN[:PORT]`: N servers from one DNS name (SRV or A records).
      const { host, port } = splitHostPort(head === 'server' ? words[2]! : words[3]!);
      cur.servers.push({
        host,
        port,
        sendProxy: sendProxyOf(words) || cur.defaultServerProxy,
        line: i + 1,
        text: line,
      });
    }
  });

  const listens: ProxyListen[] = [];
  const forwards: ProxyForward[] = [];
  const backends = new Map(sections.filter((s) => s.type === 'backend').map((s) => [s.name, s]));
  const fronts = sections.filter((s) => s.type === 'frontend' || s.type === 'listen');
  const reached = new Set<HaSection>();
  const emit = (be: HaSection, from: HaSection | undefined, ports: number[]) => {
    reached.add(be);
    const mode = be.mode ?? from?.mode ?? 'tcp';
    for (const s of be.servers) {
      forwards.push({
        fromPorts: ports,
        mode,
        host: s.host,
        port: s.port,
        sendProxy: s.sendProxy,
        forwardedFor: mode === 'http' && (be.forwardfor || (from?.forwardfor ?? false)),
        line: s.line,
        text: s.text,
      });
    }
  };
  for (const f of fronts) {
    const mode = f.mode ?? 'tcp';
    for (const b of f.binds) listens.push({ port: b.port, acceptProxy: b.acceptProxy, mode, line: b.line });
    const ports = f.binds.map((b) => b.port);
    if (f.type === 'listen') emit(f, f, ports);
    for (const name of [f.defaultBackend, ...f.useBackends].filter((n): n is string => !!n)) {
      const be = backends.get(name);
      if (be) emit(be, f, ports);
    }
  }
  for (const be of backends.values()) if (!reached.has(be)) emit(be, undefined, []);
  return { kind: 'haproxy', listens, forwards, trustsForwardedHeaders: false };
}

// ---- nginx ------------------------------------------------------------------------

interface Directive {
  name: string;
  args: string[];
  line: number;
  block?: Directive[];
}

/** nginx's syntax: `name args;` and `name args { ... }`, # comments, quoted strings. */
export function parseNginxDirectives(text: string): Directive[] {
  const root: Directive[] = [];
  const stack: Directive[][] = [root];
  let words: string[] = [];
  let wordLine = 1;
  let line = 1;
  let i = 0;
  let word = '';
  const flushWord = () => {
    if (word !== '') {
      if (words.length === 0) wordLine = line;
      words.push(word);
      word = '';
    }
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n') {
      flushWord();
      line++;
      i++;
      continue;
    }
    if (ch === '#' && word === '') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const end = text.indexOf(ch, i + 1);
      const stop = end < 0 ? text.length : end;
      if (words.length === 0 && word === '') wordLine = line;
      word += text.slice(i + 1, stop);
      line += (text.slice(i, stop).match(/\n/g) ?? []).length;
      i = stop + 1;
      continue;
    }
    if (/\s/.test(ch)) {
      flushWord();
      i++;
      continue;
    }
    if (ch === ';' || ch === '{' || ch === '}') {
      flushWord();
      const top = stack[stack.length - 1]!;
      if (ch === ';' && words.length > 0) top.push({ name: words[0]!, args: words.slice(1), line: wordLine });
      if (ch === '{') {
        const d: Directive = { name: words[0] ?? '', args: words.slice(1), line: wordLine, block: [] };
        top.push(d);
        stack.push(d.block!);
      }
      if (ch === '}' && stack.length > 1) stack.pop();
      words = [];
      i++;
      continue;
    }
    word += ch;
    i++;
  }
  return root;
}

export function parseNginx(text: string): ProxyConfig {
  const root = parseNginxDirectives(text);
  const listens: ProxyListen[] = [];
  const forwards: ProxyForward[] = [];
  let trusts = false;
  const find = (ds: Directive[] | undefined, name: string) => (ds ?? []).filter((d) => d.name === name);
  const all = (ds: Directive[] | undefined, name: string): Directive[] =>
    (ds ?? []).flatMap((d) => [...(d.name === name ? [d] : []), ...all(d.block, name)]);

  for (const [ctxName, mode] of [
    ['stream', 'tcp'],
    ['http', 'http'],
  ] as const) {
    for (const block of find(root, ctxName)) {
      const upstreams = new Map(
        find(block.block, 'upstream').map((u) => [
          u.args[0] ?? '',
          find(u.block, 'server').map((s) => ({ target: s.args[0] ?? '', line: s.line })),
        ]),
      );
      const blockProxyProtocol = find(block.block, 'proxy_protocol').some((d) => d.args[0] === 'on');
      if (
        mode === 'http' &&
        all(block.block, 'real_ip_header').length > 0 &&
        all(block.block, 'set_real_ip_from').length > 0
      )
        trusts = true;
      for (const server of find(block.block, 'server')) {
        const ports: number[] = [];
        for (const l of find(server.block, 'listen')) {
          const port = portOfBind(l.args[0] ?? '');
          if (port === undefined) continue;
          ports.push(port);
          listens.push({ port, acceptProxy: l.args.includes('proxy_protocol'), mode, line: l.line });
        }
        const sendProxy =
          mode === 'tcp' && (blockProxyProtocol || find(server.block, 'proxy_protocol').some((d) => d.args[0] === 'on'))
            ? ('v1' as const)
            : (false as const);
        const xff =
          mode === 'http' &&
          all(server.block, 'proxy_set_header').some((d) => /^x-forwarded-for$/i.test(d.args[0] ?? ''));
        for (const pass of all(server.block, 'proxy_pass')) {
          const arg = pass.args[0] ?? '';
          const upstreamName = splitHostPort(arg).host;
          const targets = upstreams.get(upstreamName) ?? [{ target: arg, line: pass.line }];
          for (const t of targets) {
            const { host, port } = splitHostPort(t.target);
            const defPort = mode === 'http' && port === undefined ? (/^https:/i.test(arg) ? 443 : 80) : port;
            forwards.push({
              fromPorts: ports,
              mode,
              host,
              port: defPort,
              sendProxy,
              forwardedFor: xff,
              line: t.line,
              text: `proxy_pass ${arg}`,
            });
          }
        }
      }
    }
  }
  return { kind: 'nginx', listens, forwards, trustsForwardedHeaders: trusts };
}

/** Parses a config file by its name or content; undefined when it is neither HAProxy's nor nginx's. */
export function parseProxyConfig(fileName: string, text: string): ProxyConfig | undefined {
  if (/haproxy/i.test(fileName)) return parseHaproxy(text);
  if (/nginx/i.test(fileName)) return parseNginx(text);
  // HAProxy sections start at the beginning of a line; nginx's `listen` sits inside a server block.
  if (/^(frontend|backend|listen|defaults)(\s|$)/m.test(text)) return parseHaproxy(text);
  if (/^\s*(stream|http)\s*\{/m.test(text)) return parseNginx(text);
  return undefined;
}
