// The Pod status the lab kubelet reports, as a real kubelet would for a running (or not
// yet ready, or unrunnable) Pod. Pure.

export interface ContainerState {
  name: string;
  image: string;
  ready: boolean;
  restartCount: number;
  startedAt: string;
  pid: number;
}

export interface PodStatusFacts {
  hostIP: string;
  podIP: string;
  startTime: string;
  container: ContainerState;
  now: string;
}

function condition(type: string, ok: boolean, now: string): Record<string, unknown> {
  return { type, status: ok ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: now };
}

/** status of a Pod whose (single) container runs; Ready follows the container. */
export function runningStatus(f: PodStatusFacts): Record<string, unknown> {
  const ready = f.container.ready;
  return {
    phase: 'Running',
    hostIP: f.hostIP,
    hostIPs: [{ ip: f.hostIP }],
    podIP: f.podIP,
    podIPs: [{ ip: f.podIP }],
    startTime: f.startTime,
    conditions: [
      condition('PodReadyToStartContainers', true, f.now),
      condition('Initialized', true, f.now),
      condition('ContainersReady', ready, f.now),
      condition('Ready', ready, f.now),
      condition('PodScheduled', true, f.now),
    ],
    containerStatuses: [
      {
        name: f.container.name,
        image: f.container.image,
        imageID: '',
        containerID: `lab://${f.container.pid}`,
        ready,
        started: true,
        restartCount: f.container.restartCount,
        state: { running: { startedAt: f.container.startedAt } },
      },
    ],
  };
}

/** status of a Pod the lab kubelet cannot run (an image it does not know): Pending, with the reason. */
export function unrunnableStatus(
  hostIP: string,
  container: { name: string; image: string },
  message: string,
  now: string,
): Record<string, unknown> {
  return {
    phase: 'Pending',
    hostIP,
    hostIPs: [{ ip: hostIP }],
    startTime: now,
    conditions: [condition('PodScheduled', true, now), condition('Ready', false, now)],
    containerStatuses: [
      {
        name: container.name,
        image: container.image,
        imageID: '',
        ready: false,
        started: false,
        restartCount: 0,
        state: { waiting: { reason: 'ErrImagePull', message } },
      },
    ],
  };
}

/** The fields whose change makes the kubelet write the status again (not the timestamps). */
export function statusSignature(status: Record<string, unknown> | undefined): string {
  const s = (status ?? {}) as {
    phase?: string;
    podIP?: string;
    hostIP?: string;
    containerStatuses?: Array<{ ready?: boolean; restartCount?: number; containerID?: string }>;
  };
  const c = s.containerStatuses?.[0];
  return JSON.stringify([s.phase, s.podIP, s.hostIP, c?.ready, c?.restartCount, c?.containerID]);
}
