// The document of `exposectl version`.

/** An exposure implementation found in the cluster (src/version/components.ts). */
export interface Component {
  /** The implementation: MetalLB, Cilium, kube-vip, or an ingress controller. */
  name: string;
  /** The image tag (v0.15.3), or null when the image names none (only a digest, or latest). */
  version: string | null;
  /** NAMESPACE/kind/NAME of the workload. */
  workload: string;
  image: string;
}

export interface VersionInfo {
  apiVersion: 'exposectl.dev/v1alpha1';
  kind: 'Version';
  clientVersion: { exposectl: string; node: string; platform: string };
  /** The API server's /version (gitVersion, platform, ...); absent with --client or without a cluster. */
  serverVersion?: Record<string, unknown>;
  /** MetalLB, Cilium, kube-vip and ingress controllers found by their workloads' images. */
  implementations?: Component[];
}
