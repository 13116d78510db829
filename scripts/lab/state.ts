// DIR/lab/lab.json: what lab:up started, for lab:echo, lab:exec, the lab kubelet and lab:down.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type ProxyMode = 'iptables' | 'nftables';

export interface HostProcess {
  pid: number;
  /** The command line it was started with: a recycled pid running something else is never signalled. */
  cmdline: string[];
}

export interface LabState {
  id: string;
  dir: string;
  startedAt: string;
  proxyMode: ProxyMode;
  clusterBinDir: string;
  labBinDir: string;
  /** The admin kubeconfig for the host (cluster:up's). */
  kubeconfig: string;
  /** The admin kubeconfig for processes inside lab namespaces (the API relay at 127.0.0.1:6443). */
  kubeconfigInNamespaces: string;
  apiSocket: string;
  hostProcesses: Record<string, HostProcess>;
  timingsMs: Record<string, number>;
}

/** In DIR/lab/: the Services' DNS records, written by the lab kubelet, read by the lab DNS. */
export const SERVICE_ZONE_FILE = 'services.zone.json';

export function labDir(dir: string): string {
  return path.join(dir, 'lab');
}

export function statePath(dir: string): string {
  return path.join(labDir(dir), 'lab.json');
}

export function readState(dir: string): LabState | undefined {
  try {
    return JSON.parse(fs.readFileSync(statePath(dir), 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

export function writeState(state: LabState): void {
  fs.mkdirSync(labDir(state.dir), { recursive: true });
  fs.writeFileSync(statePath(state.dir), `${JSON.stringify(state, null, 2)}\n`);
}
