// Every parser and validator of a command-line value, fuzzed: each returns a valid value
// or throws the project's usage error (exit 2) with a message; never another exception.
// Then a sample of garbage values through the real CLI for every command: exit 2, one
// `error:` line (and at most a `hint:` line) on stderr, no stack trace, nothing on stdout.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseListen, parsePeers, parseRouterId } from '../../../src/actions/bgp-flags.js';
import { parseIgnore } from '../../../src/analyzers/registry.js';
import { type ExposeFlagValues, parseSelector, specFromFlags, splitList } from '../../../src/expose/spec-from-flags.js';
import type { Service } from '../../../src/model/snapshot.js';
import { EXPOSE_MODES, planExpose } from '../../../src/modes/index.js';
import { ArpProbeError } from '../../../src/probes/arp/errors.js';
import { validateInterface, validateIPv4, validateNetns } from '../../../src/probes/arp/validate.js';
import { parseSubject } from '../../../src/rbac/subject.js';
import { decodeDocuments } from '../../../src/sources/documents.js';
import { parseServiceArg } from '../../../src/topology/service-arg.js';
import { MAX_DURATION_MS, parseDuration } from '../../../src/util/duration.js';
import { EXIT, UsageError } from '../../../src/util/errors.js';
import { runCli } from '../../helpers/cli.js';

const RUNS = 400;

/** Characters a shell, a config file or a parser would treat specially. */
const SPECIAL = [
  ';',
  '|',
  '&',
  '$(',
  ')',
  '`',
  '>',
  '<',
  '*',
  '?',
  "'",
  '"',
  '\n',
  '\t',
  ' ',
  '\\',
  '/',
  ':',
  '=',
  ',',
  '[',
  ']',
  '{',
  '}',
  '#',
  '-',
  '.',
  '0',
  '%',
  '\u00e9',
  '\u202e',
];

/** Mostly-plausible text with special characters mixed in: where parsers break. */
const tricky = fc.oneof(
  fc.string({ maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(...SPECIAL),
        fc.constantFrom('a', 'web', '1', '80', '192.0.2.1', 's', 'ms', 'eth0', '::', 'lb/pending'),
      ),
      { maxLength: 10 },
    )
    .map((a) => a.join('')),
);

/** Calls fn; passes when it returns (checked by `valid`) or throws a usage error (exit 2) with a message. */
function returnsValidOrUsageError<T>(
  fn: () => T,
  valid: (v: T) => void,
  isUsage: (e: unknown) => boolean = isUsageError,
): void {
  let value: T;
  try {
    value = fn();
  } catch (err) {
    expect(isUsage(err), `unexpected ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`).toBe(true);
    expect((err as Error).message.length).toBeGreaterThan(0);
    return;
  }
  valid(value);
}

const isUsageError = (e: unknown): boolean => e instanceof UsageError && e.exitCode === EXIT.usage;
const isArpInvalidInput = (e: unknown): boolean => e instanceof ArpProbeError && e.kind === 'invalid-input';
const DNS_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

describe('durations (--request-timeout, --timeout, --interval, --duration)', () => {
  it('a whole number of milliseconds up to the timer limit, or a usage error naming the flag', () => {
    fc.assert(
      fc.property(tricky, (text) => {
        try {
          const ms = parseDuration(text, 'timeout');
          expect(Number.isSafeInteger(ms)).toBe(true);
          expect(ms).toBeGreaterThanOrEqual(0);
          expect(ms).toBeLessThanOrEqual(MAX_DURATION_MS);
        } catch (err) {
          expect(isUsageError(err)).toBe(true);
          expect((err as Error).message).toMatch(/--timeout/);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('well-formed durations are exact', () => {
    const unit = fc.constantFrom(['ms', 1], ['s', 1000], ['m', 60_000], ['h', 3_600_000]);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(100), unit), { minLength: 1, maxLength: 3 }), (parts) => {
        const text = parts.map(([n, [u]]) => `${n}${u}`).join('');
        expect(parseDuration(text, 'timeout')).toBe(parts.reduce((sum, [n, [, f]]) => sum + n * f, 0));
      }),
      { numRuns: 200 },
    );
  });

  it('numbers too big for a timer are refused, not turned into Infinity or an instant timeout', () => {
    for (const text of ['9'.repeat(400), `${'1'.repeat(400)}s`, '600h', '2147484s']) {
      expect(() => parseDuration(text, 'request-timeout')).toThrowError(/--request-timeout is too long/);
    }
    expect(parseDuration('596h', 'duration')).toBe(596 * 3_600_000);
  });
});

describe('probe bgp: --listen, --peer, --router-id', () => {
  it('--listen gives a real IP address and a port, or a usage error', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          tricky,
          fc.ipV4(),
          fc.ipV6(),
          fc.tuple(fc.ipV4(), fc.integer({ min: -5, max: 70000 })).map(([a, p]) => `${a}:${p}`),
          fc.ipV6().map((a) => `[${a}]:1179`),
        ),
        (text) => {
          returnsValidOrUsageError(
            () => parseListen(text),
            ({ address, port }) => {
              expect(isIP(address)).not.toBe(0);
              expect(Number.isInteger(port) && port >= 0 && port <= 65535).toBe(true);
            },
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('--peer values are IP addresses; --router-id a non-zero IPv4 address', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(tricky, fc.ipV4(), fc.ipV6()), { maxLength: 3 }),
        fc.oneof(tricky, fc.ipV4()),
        (peers, routerId) => {
          returnsValidOrUsageError(
            () => parsePeers(peers),
            (out) => {
              for (const p of out) expect(isIP(p)).not.toBe(0);
            },
          );
          returnsValidOrUsageError(
            () => parseRouterId(routerId),
            (id) => {
              expect(isIP(id)).toBe(4);
              expect(id).not.toBe('0.0.0.0');
            },
          );
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('SERVICE arguments (describe, topology, diagnose, probes, expose, unexpose)', () => {
  it('NAME or NAMESPACE/NAME of DNS names, or a usage error', () => {
    fc.assert(
      fc.property(tricky, fc.option(tricky, { nil: undefined }), (arg, nsFlag) => {
        const valid = (ref: { namespace: string; name: string }) => {
          expect(ref.name).toMatch(DNS_NAME);
          expect(ref.namespace).toMatch(DNS_NAME);
        };
        returnsValidOrUsageError(() => parseServiceArg(arg, 'default', nsFlag), valid);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('diagnose --ignore CODE[=NAMESPACE/NAME]', () => {
  it('a rule or a one-line message (the command throws it as a usage error); never an exception', () => {
    fc.assert(
      fc.property(tricky, (text) => {
        const rule = parseIgnore(text);
        if (typeof rule === 'string') {
          expect(rule).toMatch(/^--ignore /);
          expect(rule).not.toMatch(/\n/);
        } else {
          expect(rule.code).toMatch(/^[a-z0-9-]+\/([a-z0-9-]+|\*)$/);
          if (rule.name !== undefined) expect(rule.name).not.toMatch(/\//);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('probe arp: --interface, --ip, --netns (they reach arping, ip and tcpdump)', () => {
  it('valid values hold no character a shell or a program would read as syntax; others are invalid input (exit 2)', () => {
    fc.assert(
      fc.property(fc.oneof(tricky, fc.ipV4()), (text) => {
        returnsValidOrUsageError(
          () => validateInterface(text),
          (v) => expect(v).toMatch(/^[A-Za-z0-9_.:][A-Za-z0-9_.:-]{0,14}$/),
          isArpInvalidInput,
        );
        returnsValidOrUsageError(
          () => validateNetns(text),
          (v) => expect(v).toMatch(/^[A-Za-z0-9_.-]{1,64}$/),
          isArpInvalidInput,
        );
        returnsValidOrUsageError(
          () => validateIPv4(text),
          (v) => expect(isIP(v)).toBe(4),
          isArpInvalidInput,
        );
      }),
      { numRuns: RUNS },
    );
  });
});

describe('expose: selectors, lists and every mode option', () => {
  const service = decodeDocuments(
    readFileSync(new URL('../../fixtures/web-service.yaml', import.meta.url), 'utf8'),
    'web-service.yaml',
  )[0]!.value as Service;

  it('--node-selector / --advertise-node-selector: key=value labels, or a usage error', () => {
    fc.assert(
      fc.property(tricky, (text) => {
        returnsValidOrUsageError(
          () => parseSelector(text, '--node-selector'),
          (labels) => {
            for (const [k, v] of Object.entries(labels)) {
              expect(k).toMatch(/^[A-Za-z0-9][-A-Za-z0-9_./]*$/);
              expect(v).toMatch(/^[-A-Za-z0-9_.]*$/);
            }
          },
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('comma lists never keep empty or padded items', () => {
    fc.assert(
      fc.property(fc.array(tricky, { maxLength: 4 }), (values) => {
        const items = splitList(values);
        if (items)
          items.forEach((i) => {
            expect(i).not.toBe('');
            expect(i).toBe(i.trim());
            expect(i).not.toMatch(/,/);
          });
      }),
      { numRuns: 200 },
    );
  });

  it('random values for every option: planning returns problems (exit 2) or manifests, never throws', () => {
    const str = fc.option(tricky, { nil: undefined });
    const int = fc.option(fc.oneof(fc.integer(), fc.constantFrom(0, -1, 65536, 4294967296, Number.MAX_SAFE_INTEGER)), {
      nil: undefined,
    });
    const list = fc.option(fc.array(tricky, { maxLength: 3 }), { nil: undefined });
    const flags = fc.record(
      {
        mode: fc.constantFrom(...EXPOSE_MODES),
        port: str,
        'node-port': int,
        host: str,
        path: str,
        'ingress-class': str,
        'tls-secret': str,
        pool: str,
        addresses: list,
        ip: str,
        interfaces: list,
        peer: str,
        'peer-asn': int,
        'my-asn': int,
        communities: list,
        'local-pref': int,
        'aggregation-length': int,
        'share-ip': str,
        'gateway-impl': fc.option(fc.constantFrom('haproxy', 'nginx'), { nil: undefined }),
        'gateway-image': str,
        gateway: str,
        'gateway-class': str,
        'http-ports': list,
        'preserve-source-ip': fc.boolean(),
        sticky: fc.boolean(),
        'sticky-timeout': int,
        'in-place': fc.boolean(),
      },
      { requiredKeys: ['mode'] },
    );
    fc.assert(
      fc.property(flags, (f) => {
        let spec: ReturnType<typeof specFromFlags>;
        try {
          spec = specFromFlags(service, f as ExposeFlagValues);
        } catch (err) {
          expect(isUsageError(err)).toBe(true);
          return;
        }
        const plan = planExpose(spec, {});
        if (plan.problems.length > 0) expect(plan.manifests).toEqual([]);
        else expect(plan.manifests.length).toBeGreaterThan(0);
        for (const p of plan.problems) expect(p.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('rbac --bind KIND:NAME', () => {
  it('a subject, or a one-line usage error', () => {
    const kinds = fc.constantFrom('user:', 'group:', 'serviceaccount:', 'sa:', 'robot:', '');
    fc.assert(
      fc.property(kinds, tricky, (kind, rest) => {
        try {
          const subject = parseSubject(kind + rest);
          expect(subject.name).not.toMatch(/[\s\0]/);
          if (subject.kind === 'ServiceAccount') expect(subject.namespace).toMatch(DNS_NAME);
        } catch (err) {
          expect(isUsageError(err)).toBe(true);
          expect((err as Error).message).not.toMatch(/\n/);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

// Concurrent: each run is a Node start-up; a few at a time keep the file short.
describe.concurrent('the CLI: garbage values exit 2 with one clear line, for every command', () => {
  /** Values no flag accepts: random text with a character that is invalid for every parser. */
  const garbage = (seed: number, n: number): string[] =>
    fc.sample(
      fc
        .tuple(
          fc.string({ maxLength: 6 }),
          fc.constantFrom(';', '|', '$(id)', '`id`', ' x', '*', '>', "'", '"', '&', '\n'),
          fc.string({ maxLength: 6 }),
        )
        .map(([a, b, c]) => `${a}${b}${c}`)
        .filter((v) => !v.startsWith('-') && v.trim() !== ''),
      { seed, numRuns: n },
    );
  const [g1, g2, g3] = garbage(8, 3) as [string, string, string];
  const demo = ['-f', 'examples/demo'];
  const cases: string[][] = [
    ['list', '--request-timeout', g1, ...demo],
    ['list', '-o', g2, ...demo],
    ['describe', g1, ...demo],
    ['topology', g2, ...demo],
    ['diagnose', 'all', g3, ...demo],
    ['diagnose', '--ignore', g1, ...demo],
    ['expose', 'web', '--mode', g1, '-f', 'test/fixtures/web-service.yaml', '--dry-run', 'client'],
    [
      'expose',
      'web',
      '--mode',
      'nodeport',
      '--node-port',
      g3,
      '-f',
      'test/fixtures/web-service.yaml',
      '--dry-run',
      'client',
    ],
    [
      'expose',
      'web',
      '--mode',
      'hostnetwork',
      '--node-selector',
      g1,
      '-f',
      'test/fixtures/web-service.yaml',
      '--dry-run',
      'client',
    ],
    ['unexpose', g2],
    ['probe', 'arp', '--interface', g3, '--ip', '198.51.100.10'],
    ['probe', 'arp', '--interface', 'eth0', '--ip', g1],
    ['probe', 'arp', '--interface', 'eth0', '--ip', '198.51.100.10', '--count', g2],
    ['probe', 'bgp', '--listen', g1, '--local-as', '64500', '--no-compare'],
    ['probe', 'bgp', '--listen', '127.0.0.1:0', '--local-as', g2, '--no-compare'],
    ['probe', 'endpoints', g1, ...demo],
    ['rbac', '--read-only', '--name', g2],
    ['rbac', '--mode', 'l2', '--bind', g3],
    ['rbac', '--mode', 'l2', '--bind', `user:${g1}\nkind: ClusterRole`],
  ];

  // Each case is a Node start-up; generous time for a loaded machine.
  it.each(cases.map((args) => [JSON.stringify(args), args] as const))('%s', { timeout: 120_000 }, async (_, args) => {
    // No kubeconfig anywhere: nothing may reach a cluster, and a usage error must come first.
    const { stdout, stderr, exitCode } = await runCli(args, { env: { KUBECONFIG: '/nonexistent/kubeconfig' } });
    expect({ exitCode, stdout }).toEqual({ exitCode: 2, stdout: '' });
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^error: \S/);
    expect(
      lines.slice(1).every((l) => l.startsWith('hint: ')),
      stderr,
    ).toBe(true);
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});
