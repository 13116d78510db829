// A real validating admission webhook that HOLDS the first write of one resource: the API
// server calls it only once the earlier objects of an apply sequence are stored, so a test
// can take the API server away at exactly that point (deterministically "in the middle").
//
//   const hold = await holdAdmission(cluster, { group: 'metallb.io', version: 'v1beta1', resource: 'l2advertisements',
//     probe: l2AdvertisementYaml });   // a dry-run apply of `probe` proves the webhook is active
//   const request = await hold.held;  // the API server is waiting for our answer now
//   ...
//   await hold.release();             // answer "allowed" from now on, remove the configuration
//
// The webhook serves TLS with a certificate signed by the cluster's CA (DIR/pki), on
// 127.0.0.1 (clientConfig.url), and only sees objects labelled managed-by=exposectl.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import * as path from 'node:path';
import type { ExposectlTestCluster } from './global-setup.js';
import { kubectl, waitUntil } from './helpers.js';

export interface AdmissionRequest {
  uid: string;
  kind: { group: string; version: string; kind: string };
  name?: string;
  namespace?: string;
  operation: string;
  dryRun?: boolean;
}

export interface AdmissionHold {
  /** Resolves when the API server asked about the first real (not dry-run) write; it is left unanswered. */
  held: Promise<AdmissionRequest>;
  /** Allows everything from now on, deletes the webhook configuration and stops the server. */
  release(): Promise<void>;
}

export interface HoldTarget {
  group: string;
  version: string;
  resource: string;
  /** YAML of a valid object of that resource, labelled app.kubernetes.io/managed-by=exposectl: applied with --dry-run=server until the webhook sees it. */
  probe: string;
}

export async function holdAdmission(cluster: ExposectlTestCluster, target: HoldTarget): Promise<AdmissionHold> {
  const tls = serverCertificate(cluster.dir);
  const name = `exposectl-test-hold-${target.resource}`;
  let released = false;
  let probed = false;
  const pending: ServerResponse[] = [];
  let onHeld: (r: AdmissionRequest) => void = () => {};
  const held = new Promise<AdmissionRequest>((resolve) => (onHeld = resolve));

  const server: Server = createServer(tls, (req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const review = JSON.parse(body) as { apiVersion: string; request: AdmissionRequest };
      const answer = (): void => {
        res.setHeader('Content-Type', 'application/json');
        res.end(
          JSON.stringify({
            apiVersion: review.apiVersion,
            kind: 'AdmissionReview',
            response: { uid: review.request.uid, allowed: true },
          }),
        );
      };
      if (review.request.dryRun) probed = true;
      if (released || review.request.dryRun) return answer();
      pending.push(res); // never answered: the API server waits until it is killed
      onHeld(review.request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;

  await kubectl(['apply', '--server-side', '-f', '-'], {
    cluster,
    input: JSON.stringify({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name },
      webhooks: [
        {
          name: 'hold.exposectl.test',
          clientConfig: {
            url: `https://127.0.0.1:${port}/`,
            caBundle: fs.readFileSync(path.join(cluster.dir, 'pki', 'ca.crt')).toString('base64'),
          },
          rules: [
            {
              apiGroups: [target.group],
              apiVersions: [target.version],
              operations: ['CREATE', 'UPDATE'],
              resources: [target.resource],
              scope: '*',
            },
          ],
          objectSelector: { matchLabels: { 'app.kubernetes.io/managed-by': 'exposectl' } },
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
          failurePolicy: 'Fail',
          timeoutSeconds: 30,
        },
      ],
    }),
  });
  // The API server picks configurations up asynchronously: a dry-run apply of the probe
  // tells whether it calls us (now).
  const calledByProbe = async (): Promise<boolean> => {
    probed = false;
    await kubectl(['apply', '--server-side', '--dry-run=server', '--field-manager=exposectl-test-probe', '-f', '-'], {
      cluster,
      input: target.probe,
      allowFailure: true,
    });
    return probed;
  };
  await waitUntil(`webhook ${name} called by the API server`, calledByProbe, { timeoutMs: 30_000, intervalMs: 300 });

  return {
    held,
    release: async () => {
      released = true;
      for (const res of pending) res.destroy();
      await kubectl(['delete', 'validatingwebhookconfiguration', name, '--ignore-not-found'], { cluster });
      // Keep answering until the API server stops calling us, or writes would fail on a closed port.
      await waitUntil(`webhook ${name} no longer called`, async () => !(await calledByProbe()), {
        timeoutMs: 30_000,
        intervalMs: 300,
      });
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A serving certificate for 127.0.0.1 signed by the cluster's CA (made once per cluster folder). */
function serverCertificate(dir: string): { key: Buffer; cert: Buffer } {
  const out = path.join(dir, 'pki', 'webhook');
  fs.mkdirSync(out, { recursive: true });
  const key = path.join(out, 'webhook.key');
  const cert = path.join(out, 'webhook.crt');
  if (!fs.existsSync(cert)) {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-CA',
        path.join(dir, 'pki', 'ca.crt'),
        '-CAkey',
        path.join(dir, 'pki', 'ca.key'),
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '2',
        '-subj',
        '/CN=exposectl-test-webhook',
        '-addext',
        'basicConstraints=critical,CA:FALSE',
        '-addext',
        'extendedKeyUsage=serverAuth',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'pipe' },
    );
  }
  return { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
}
