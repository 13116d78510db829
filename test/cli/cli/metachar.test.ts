// Shell metacharacters in everything that could reach another program (arping, ip,
// tcpdump) or a generated proxy configuration (HAProxy, nginx): refused with exit 2
// before anything runs, never interpreted by a shell, never written as a directive.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Service } from '../../../src/model/snapshot.js';
import { type GatewayConfigInput, haproxyConfig } from '../../../src/modes/haproxy-config.js';
import { planExpose } from '../../../src/modes/index.js';
import { nginxConfig } from '../../../src/modes/nginx-config.js';
import { arpingCommand, probeArp } from '../../../src/probes/arp/run.js';
import { REPO_ROOT, runCli } from '../../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'exposectl-metachar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file that exists only if something ran `touch` on it: a shell interpreted our text. */
const SENTINEL = path.join(dir, 'pwned');
const injections = (prefix: string): string[] => [
  `${prefix};touch ${SENTINEL}`,
  `${prefix}|touch ${SENTINEL}`,
  `${prefix}&&touch ${SENTINEL}`,
  `${prefix}$(touch ${SENTINEL})`,
  `${prefix}\`touch ${SENTINEL}\``,
  `${prefix}\ntouch ${SENTINEL}`,
  `${prefix} >${SENTINEL}`,
  `${prefix}'"*?<>`,
];

/**
 * A stand-in `arping` and `tcpdump` first on PATH: each records its argv, one argument per
 * line, so a test can see whether it ran and with exactly which arguments.
 */
const binDir = path.join(dir, 'bin');
const argvLog = path.join(dir, 'argv.log');
function installRecorders(): void {
  rmSync(binDir, { recursive: true, force: true });
  mkdirSync(binDir, { recursive: true });
  writeFileSync(argvLog, '');
  for (const name of ['arping', 'tcpdump']) {
    const file = path.join(binDir, name);
    writeFileSync(
      file,
      `#!/bin/sh\n{ echo "-- ${name}"; for a in "$@"; do printf '%s\\n' "$a"; done; } >> '${argvLog}'\nexit 1\n`,
    );
    chmodSync(file, 0o755);
  }
}
installRecorders();
const recordedEnv = { KUBECONFIG: '/nonexistent/kubeconfig', PATH: `${binDir}:${process.env.PATH ?? ''}` };
const recorded = (): string => (existsSync(argvLog) ? readFileSync(argvLog, 'utf8') : '');

const expectUsageError = (r: { exitCode: number; stdout: string; stderr: string }) => {
  expect(r.exitCode, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')[0]).toMatch(/^error: \S/);
  expect(r.stderr.trimEnd().split('\n').length).toBeLessThanOrEqual(2);
};

describe.concurrent('the CLI refuses metacharacters in names, interfaces and addresses (exit 2, nothing run)', () => {
  const demo = ['-f', 'examples/demo'];
  const cases: Array<[string, string[]]> = [
    ...injections('eth0')
      .slice(0, 4)
      .map((v): [string, string[]] => [
        'probe arp --interface',
        ['probe', 'arp', '--interface', v, '--ip', '198.51.100.10'],
      ]),
    ...injections('198.51.100.10')
      .slice(3, 6)
      .map((v): [string, string[]] => ['probe arp --ip', ['probe', 'arp', '--interface', 'eth0', '--ip', v]]),
    [
      'probe arp --netns',
      ['probe', 'arp', '--interface', 'eth0', '--ip', '198.51.100.10', '--netns', injections('ns')[0]!],
    ],
    [
      'probe arp --watch --interface',
      ['probe', 'arp', '--watch', '--duration', '1s', '--interface', injections('eth0')[4]!, '--ip', '198.51.100.10'],
    ],
    ['probe arp SERVICE', ['probe', 'arp', injections('web')[3]!, '--interface', 'eth0', ...demo]],
    ['probe endpoints SERVICE', ['probe', 'endpoints', injections('shop/api')[0]!, ...demo]],
    ['describe SERVICE', ['describe', injections('web')[5]!, ...demo]],
    ['topology NAMESPACE/SERVICE', ['topology', `${injections('shop')[1]!}/api`, ...demo]],
    ['diagnose -n', ['diagnose', '-n', injections('shop')[3]!, ...demo]],
    ['list -n', ['list', '-n', injections('shop')[6]!, ...demo]],
    [
      'expose SERVICE',
      [
        'expose',
        injections('web')[4]!,
        '--mode',
        'nodeport',
        '-f',
        'test/fixtures/web-service.yaml',
        '--dry-run',
        'client',
      ],
    ],
    [
      'probe bgp --listen',
      ['probe', 'bgp', '--listen', injections('127.0.0.1')[0]!, '--local-as', '64500', '--no-compare'],
    ],
    ['diagnose --probe --interface', ['diagnose', 'arp', '--probe', '--interface', injections('eth0')[2]!, ...demo]],
    [
      'diagnose --probe --bgp-peer',
      [
        'diagnose',
        'bgp',
        '--probe',
        '--bgp-listen',
        '127.0.0.1:0',
        '--bgp-local-as',
        '64500',
        '--bgp-peer',
        injections('192.0.2.11')[0]!,
        ...demo,
      ],
    ],
    [
      'probe bgp --peer',
      [
        'probe',
        'bgp',
        '--listen',
        '127.0.0.1:0',
        '--local-as',
        '64500',
        '--peer',
        injections('192.0.2.11')[3]!,
        '--no-compare',
      ],
    ],
  ];

  // Each case is a Node start-up; generous time for a loaded machine.
  it.each(cases)('%s', { timeout: 120_000 }, async (_, args) => {
    const r = await runCli(args, { env: recordedEnv });
    expectUsageError(r);
    expect(existsSync(SENTINEL)).toBe(false);
    // Validation comes first: neither arping nor tcpdump was started.
    expect(recorded()).toBe('');
  });
});

describe('arguments reach arping as an array, unchanged, through no shell', () => {
  it('the command line is a file and an array of arguments, the address and interface each one element', () => {
    fc.assert(
      fc.property(
        fc.ipV4(),
        fc.stringMatching(/^[A-Za-z0-9_.:][A-Za-z0-9_.:-]{0,14}$/),
        fc.constantFrom('habets', 'iputils') as fc.Arbitrary<'habets' | 'iputils'>,
        fc.option(fc.stringMatching(/^[A-Za-z0-9_.-]{1,20}$/), { nil: undefined }),
        (ip, iface, flavor, netns) => {
          const [file, args] = arpingCommand(flavor, {
            ip,
            interface: iface,
            count: 3,
            timeoutMs: 1000,
            ...(netns ? { netns } : {}),
          });
          expect(typeof file).toBe('string');
          expect(Array.isArray(args)).toBe(true);
          expect(args).toContain(ip);
          expect(args).toContain(iface);
          expect(args.every((a) => typeof a === 'string')).toBe(true);
          if (netns) expect([file, ...args.slice(0, 3)]).toEqual(['ip', 'netns', 'exec', netns]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('probeArp runs the real binary with exactly those arguments; invalid input runs nothing', async () => {
    installRecorders();
    const arping = path.join(binDir, 'arping');
    // "eth0:1" and "a.b_c-d" are valid names with characters a shell would not care about; the address is canonical.
    await probeArp({ ip: '198.51.100.10', interface: 'a.b_c-d:1', count: 1, timeoutMs: 50, arping });
    const runs = recorded()
      .split('-- arping\n')
      .filter(Boolean)
      .map((r) => r.trimEnd().split('\n'));
    expect(runs[0]).toEqual(['--help']); // the flavour check
    expect(runs.slice(1)).toEqual([
      arpingCommand('habets', { ip: '198.51.100.10', interface: 'a.b_c-d:1', count: 1, timeoutMs: 50 })[1],
    ]);

    installRecorders();
    for (const bad of injections('eth0')) {
      await expect(
        probeArp({ ip: '198.51.100.10', interface: bad, count: 1, timeoutMs: 50, arping }),
      ).rejects.toMatchObject({ kind: 'invalid-input' });
      await expect(probeArp({ ip: bad, interface: 'eth0', count: 1, timeoutMs: 50, arping })).rejects.toMatchObject({
        kind: 'invalid-input',
      });
      await expect(
        probeArp({ ip: '198.51.100.10', interface: 'eth0', netns: bad, count: 1, timeoutMs: 50, arping }),
      ).rejects.toMatchObject({ kind: 'invalid-input' });
    }
    expect(recorded()).toBe('');
    expect(existsSync(SENTINEL)).toBe(false);
  });

  it('no code in src/ starts a program through a shell or from a command string', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d)) {
        const p = path.join(d, e);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx?$/.test(e)) files.push(p);
      }
    };
    walk(path.join(REPO_ROOT, 'src'));
    expect(files.length).toBeGreaterThan(50);
    const offences: string[] = [];
    let execaCalls = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8').replace(/^\s*\/\/.*$/gm, '');
      const rel = path.relative(REPO_ROOT, file);
      if (/\bshell\s*:/.test(text)) offences.push(`${rel}: a shell option`);
      if (/['"](node:)?child_process['"]/.test(text))
        offences.push(`${rel}: child_process (use execa with an argument array)`);
      if (/(?<![.\w])(exec|execSync|spawnSync|execFileSync)\s*\(/.test(text))
        offences.push(`${rel}: exec/execSync-style call`);
      if (/\bexeca(Command|CommandSync|Sync|Node)\b|\$\s*`|\$\s*\(\s*\{/.test(text))
        offences.push(`${rel}: execa's command-string or script interface`);
      for (const m of text.matchAll(/\bexeca\(\s*([^,]+),\s*([^\s,)]+)/g)) {
        execaCalls++;
        // The program is a plain value (not a template or string with a space), the arguments an array or a variable holding one.
        if (/^`|^['"][^'"]*\s/.test(m[1]!.trim())) offences.push(`${rel}: execa program ${m[1]}`);
        if (!/^\[|^[A-Za-z_][\w.]*(\s+as\s+string\[\])?$/.test(m[2]!.trim()))
          offences.push(`${rel}: execa arguments ${m[2]}`);
      }
    }
    expect(offences).toEqual([]);
    expect(execaCalls).toBeGreaterThanOrEqual(4);
  });
});

describe('proxy configurations: nothing from a name or an address becomes a directive', () => {
  const base: GatewayConfigInput = {
    service: { namespace: 'shop', name: 'web' },
    listeners: [{ listenPort: 80, protocol: 'TCP', backendHost: 'web.shop.svc.cluster.local', backendPort: 80 }],
    proxyProtocol: true,
  };
  /** The directive lines (not comments, not blank) of a configuration, trimmed. */
  const directives = (text: string) =>
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
  const injected = [
    'web\nfrontend evil',
    'web\r\n    bind :22',
    'web;',
    'web }',
    'web {',
    'web # x',
    'web server',
    '"web"',
    'web\tx',
    '',
  ];

  it.each([
    ['haproxy', haproxyConfig],
    ['nginx', nginxConfig],
  ] as const)('%s: injected names, hosts, bind addresses and ports are refused', (_, generate) => {
    const expected = directives(generate(base));
    for (const bad of injected) {
      expect(() => generate({ ...base, service: { ...base.service, name: bad } })).toThrow(/refusing to write/);
      expect(() => generate({ ...base, service: { ...base.service, namespace: bad } })).toThrow(/refusing to write/);
      expect(() => generate({ ...base, listeners: [{ ...base.listeners[0]!, backendHost: bad }] })).toThrow(
        /refusing to write/,
      );
      if (bad !== '') expect(() => generate({ ...base, bindAddress: bad })).toThrow(/refusing to write/); // '' is "no bind address"
    }
    for (const port of [0, -1, 65536, 1.5, Number.NaN]) {
      expect(() => generate({ ...base, listeners: [{ ...base.listeners[0]!, listenPort: port }] })).toThrow(
        /refusing to write/,
      );
      expect(() => generate({ ...base, listeners: [{ ...base.listeners[0]!, backendPort: port }] })).toThrow(
        /refusing to write/,
      );
    }
    // Random values either are refused or change no directive but the ones they fill in.
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (value) => {
        let text: string;
        try {
          text = generate({
            ...base,
            service: { namespace: value, name: value },
            listeners: [{ ...base.listeners[0]!, backendHost: value }],
          });
        } catch (err) {
          expect((err as Error).message).toMatch(/refusing to write/);
          return;
        }
        expect(value).toMatch(/^[A-Za-z0-9._:-]+$/);
        expect(directives(text).length).toBe(expected.length);
      }),
      { numRuns: 300 },
    );
  });

  it('a Service from a file with a newline in its name or namespace is a problem, and no manifest is made', () => {
    for (const [name, namespace] of [
      ['web\nfrontend evil', 'shop'],
      ['web', 'shop\nlisten x'],
      ['web;id', 'shop'],
      ['WEB', 'shop'],
    ]) {
      const service = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace },
        spec: { ports: [{ port: 80 }] },
      } as unknown as Service;
      for (const gatewayImpl of ['haproxy', 'nginx'] as const) {
        const plan = planExpose({ service, mode: 'hostnetwork', gatewayImpl }, {});
        expect(plan.manifests).toEqual([]);
        expect(plan.problems.map((p) => p.message).join('\n')).toMatch(/is not a DNS label/);
      }
    }
  });

  it('expose -f with such a Service exits 2 and prints no configuration', { timeout: 120_000 }, async () => {
    const file = path.join(dir, 'injected.yaml');
    writeFileSync(
      file,
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: "web\\nfrontend evil\\n    bind :22"\n  namespace: shop\nspec:\n  ports: [{port: 80}]\n',
    );
    const r = await runCli(['expose', '--mode', 'hostnetwork', '-f', file, '--dry-run', 'client', '-o', 'yaml'], {
      env: { KUBECONFIG: '/nonexistent/kubeconfig' },
    });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/is not a DNS label/);
    // The name is quoted where it is shown: the newline cannot break the message into lines of its own.
    expect(r.stderr.split('\n')[0]).toBe(
      'error: cannot expose service shop/"web\\nfrontend evil\\n    bind :22" in mode hostnetwork; nothing was changed:',
    );
    expect(r.stderr).not.toMatch(/^frontend evil/m);
  });
});
