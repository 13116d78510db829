// The L7 modes in the lab (ingress and gateway, both served by Traefik on node-1 with the
// class `lab` that lab:up creates): after `expose --wait`, a real request from the client
// with the exposure's Host reaches an echo Pod. The Pod's peer is Traefik's node; the client
// address travels in X-Forwarded-For, and `diagnose source-ip --probe` says so. --sticky
// (Traefik's cookie) keeps one client with its cookie on one Pod across 20 connections in mode
// ingress; in mode gateway it is refused, since Traefik ignores HTTPRoute sessionPersistence.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  answer,
  CLIENT,
  cli,
  kubectlJson,
  labEcho,
  listItem,
  NODE_SOURCES,
  NODES,
  podsAnswering,
  request,
  sourceIpProof,
  useEcho,
} from '../lab.ts';

/** Where Traefik listens (lab:up runs it on node-1, hostNetwork). */
const TRAEFIK = NODES[0]!.ip;

/** curl arguments that keep one client's cookies across requests. */
function cookieJar(): string[] {
  const jar = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'exposectl-e2e-jar-')), 'cookies');
  return ['-c', jar, '-b', jar];
}

export function l7Suite(mode: 'ingress' | 'gateway'): void {
  describe(`${mode} through Traefik (class lab)`, () => {
    const echo = useEcho(`e2e-${mode}`);
    const host = `${echo.ns}.example.test`;
    const classFlag = mode === 'ingress' ? ['--ingress-class', 'lab'] : ['--gateway-class', 'lab'];
    const exposing = mode === 'ingress' ? 'web-ingress' : 'web-gateway';

    beforeAll(async () => {
      await labEcho(echo.ns, 'web', 3);
      const r = await cli([
        'expose',
        'web',
        '-n',
        echo.ns,
        '--mode',
        mode,
        '--host',
        host,
        ...classFlag,
        '--wait',
        '--timeout',
        '120s',
      ]);
      expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
      const item = await listItem(echo.ns, exposing);
      expect(item.addresses, JSON.stringify(item)).toContain(TRAEFIK);
    }, 300_000);

    it("the host reaches an echo Pod from Traefik's node, with the client in X-Forwarded-For, as diagnose source-ip --probe says", async () => {
      const pods = new Set((await echo.pods()).map((p) => p.name));
      const e = await answer(`http://${TRAEFIK}/`, { timeoutS: 5, extra: ['-H', `Host: ${host}`] });
      expect(e, `no answer from ${TRAEFIK} for ${host}`).toBeDefined();
      expect(pods.has(e!.pod)).toBe(true);
      expect(NODE_SOURCES.has(e!.client.address), `${e!.client.address} is not a node address`).toBe(true);
      expect(e!.headers['x-forwarded-for']).toBe(CLIENT.ip);
      // the Host Traefik does not route is not sent to the Pods
      expect(await request(`http://${TRAEFIK}/`, 5, ['-H', 'Host: other.example.test'])).toBeUndefined();
      const proof = await sourceIpProof(echo.ns, 'web');
      expect(proof.verdict, proof.text).toBe('preserved');
      expect(proof.text).toMatch(/X-Forwarded-For/);
      const item = await listItem(echo.ns, exposing);
      // list cannot see Traefik's own front (it runs outside any Service): it does not claim either way
      expect(item.sourceIP, JSON.stringify(item)).toBe('unknown');
    });

    if (mode === 'ingress')
      it('--sticky: 20 connections of one client (with its cookie) land on one Pod', async () => {
        const r = await cli([
          'expose',
          'web',
          '-n',
          echo.ns,
          '--mode',
          mode,
          '--host',
          host,
          ...classFlag,
          '--sticky',
          // Traefik reads its cookie settings from the Service: exposectl sets them there only with --in-place
          '--in-place',
          '--wait',
          '--timeout',
          '120s',
        ]);
        expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
        const seen = await podsAnswering(`http://${TRAEFIK}/`, 20, { extra: ['-H', `Host: ${host}`, ...cookieJar()] });
        expect(new Set(seen).size, seen.join(' ')).toBe(1);
      });
    else
      it("--sticky on Traefik's Gateway API provider is refused (affinity/session-persistence-ignored): exit 2, nothing created", async () => {
        const r = await cli(['expose', 'web', '-n', echo.ns, '--mode', mode, '--host', host, ...classFlag, '--sticky']);
        expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(2);
        expect(r.stderr).toContain('affinity/session-persistence-ignored');
        expect(r.stderr).toContain('--mode ingress --sticky --in-place');
        // The route exposed above is untouched (still one, still without sessionPersistence).
        const routes = await kubectlJson<{
          items: Array<{ spec: { rules: Array<{ sessionPersistence?: unknown }> } }>;
        }>(['get', 'httproutes', '-n', echo.ns]);
        expect(routes.items).toHaveLength(1);
        expect(routes.items[0]!.spec.rules.every((rule) => rule.sessionPersistence === undefined)).toBe(true);
        // What the refusal prevents: Traefik spreads one client with a cookie jar over the Pods.
        const seen = await podsAnswering(`http://${TRAEFIK}/`, 20, { extra: ['-H', `Host: ${host}`, ...cookieJar()] });
        expect(new Set(seen).size, seen.join(' ')).toBeGreaterThan(1);
      });
  });
}
