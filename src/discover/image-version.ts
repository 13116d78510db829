// Versions read from container image tags, to judge behaviour that changed between releases
// of an implementation (MetalLB 0.14 skipping excluded nodes, ingress-nginx 1.0 ignoring
// Ingresses without a class, annotations a release does not read yet). Pure.

export type Version = [number, number, number];

/** A semantic version read from an image tag (`quay.io/metallb/speaker:v0.14.2`, `...:v1.9.4@sha256:...`), else undefined. */
export function imageVersion(image: string): Version | undefined {
  const m = /:v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-@+].*)?$/.exec(image);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

/** v >= min. */
export function versionAtLeast(v: Version, min: Version): boolean {
  for (let i = 0; i < 3; i++) if (v[i] !== min[i]) return v[i]! > min[i]!;
  return true;
}

export const versionText = (v: Version | undefined): string => (v ? `${v[0]}.${v[1]}.${v[2]}` : 'unknown');
