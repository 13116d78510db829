// The API server URL of a kubeconfig cluster: http(s) only, and a password in it
// (https://user:pass@host) is sent as kubectl sends it (basic auth, when no other
// credential is set) but never printed.
import { UsageError } from '../util/errors.js';

export interface ServerUrl {
  /** The URL requests go to, without user information. */
  base: string;
  /** The URL for messages: the password replaced by "xxxxx" (as Go's url.Redacted). */
  display: string;
  /** user:password from the URL, for basic auth; undefined when the URL has none. */
  basicAuth: { username: string; password: string } | undefined;
}

/** Parses and checks a server URL; UsageError (exit 2) when it is not an http(s) URL. */
export function parseServerUrl(server: string, clusterName: string): ServerUrl {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new UsageError(
      `the server URL "${redactUrl(server)}" of cluster "${clusterName}" is not a URL`,
      'set server: https://HOST:PORT in the kubeconfig',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(
      `the server URL "${redactUrl(server)}" of cluster "${clusterName}" is not http(s)`,
      'set server: https://HOST:PORT in the kubeconfig',
    );
  }
  const basicAuth =
    url.username || url.password
      ? { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }
      : undefined;
  const display = redactUrl(url.toString()).replace(/\/+$/, '');
  url.username = '';
  url.password = '';
  return { base: url.toString().replace(/\/+$/, ''), display, basicAuth };
}

/** The URL with its password replaced by "xxxxx"; text that is not a URL keeps no "user:pass@" either. */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    if (!url.password) return text;
    url.password = 'xxxxx';
    return url.toString();
  } catch {
    return text.replace(/\/\/([^/@\s:]*):[^/@\s]*@/, '//$1:xxxxx@');
  }
}
