// The plain-JSON shape shared by every Kubernetes object, whether it came from a
// file or from the API server. Specific kinds narrow `spec` and `status`.
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid?: string; controller?: boolean }>;
  resourceVersion?: string;
  generateName?: string;
  [key: string]: unknown;
}

export interface KubeObject<Spec = Record<string, unknown>, Status = Record<string, unknown>> {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: Spec;
  status?: Status;
  [key: string]: unknown;
}

/** Where an object was read from: a file (with the document's first line) or the cluster. */
export interface Origin {
  file?: string;
  line?: number;
}

export interface ObjectRef {
  kind: string;
  namespace: string | null;
  name: string;
}

/** The API group of an apiVersion: "" for the core group. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** kubectl's name of an object: "service/web", "ipaddresspool.metallb.io/pool" (the group from its apiVersion). */
export function refOf(obj: { apiVersion: string; kind: string; name: string }): string {
  const group = groupOf(obj.apiVersion);
  return `${obj.kind.toLowerCase()}${group ? `.${group}` : ''}/${obj.name}`;
}
