// What a client of the context will send and trust, checked before any request, as
// kubectl (client-go) does: a context naming an undefined user, an unreadable token or
// CA file, a certificate without its key or a key that is not one are errors naming the
// problem (exit 2), never a request sent anonymously instead. Files are read here, with
// a size limit, and handed to @kubernetes/client-node as inline data.
//
// client-go's order, kept here: an inline `token` wins over `tokenFile` (read only when
// there is no token; unreadable is fatal; the content is trimmed and must not be
// empty); a token of either kind means an exec plugin never runs (client-go's exec
// round tripper steps aside when an Authorization header is set).
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { formatBytes, MAX_CREDENTIAL_FILE_BYTES, readFileBounded, TooLargeError } from '../util/bounded-read.js';
import { UsageError } from '../util/errors.js';
import type { ResolvedKubeconfig } from './kubeconfig.js';
import { parseServerUrl, type ServerUrl } from './server-url.js';

export interface Connection {
  /** The resolved context with credentials inlined (token and certificate files read). */
  resolved: ResolvedKubeconfig;
  url: ServerUrl;
}

/** Checks and inlines the credentials and CA of the context. UsageError naming the problem. */
export function prepareConnection(resolved: ResolvedKubeconfig): Connection {
  const config = resolved.config;
  if (resolved.inCluster || !config) return { resolved, url: parseServerUrl(resolved.server, resolved.clusterName) };
  const sources = resolved.sources.join(', ');
  const clusterEntry = config.clusters.find((c) => c.name === resolved.clusterName);
  const cluster = { ...clusterEntry?.cluster };
  const url = parseServerUrl(
    typeof cluster.server === 'string' ? cluster.server : resolved.server,
    resolved.clusterName,
  );
  const clusterWhat = `cluster "${resolved.clusterName}"`;

  const ca = material(cluster, 'certificate-authority', clusterWhat, 'certificate-authority');
  if (ca) {
    checkCertificate(ca, `the certificate-authority of ${clusterWhat}`);
    inline(cluster, 'certificate-authority', ca);
  }

  let users = config.users;
  if (resolved.userName) {
    const entry = config.users.find((u) => u.name === resolved.userName);
    if (!entry) {
      throw new UsageError(
        `context "${resolved.contextName}" names user "${resolved.userName}", which is not defined in ${sources}`,
        "fix the context's user, or add the user to the kubeconfig",
      );
    }
    const user = prepareUser({ ...entry.user }, `user "${resolved.userName}"`);
    users = config.users.map((u) => (u === entry ? { name: u.name, user } : u));
  }
  const clusters = config.clusters.map((c) => (c === clusterEntry ? { name: c.name, cluster } : c));
  return { resolved: { ...resolved, config: { ...config, clusters, users } }, url };
}

function prepareUser(user: Record<string, unknown>, what: string): Record<string, unknown> {
  const inlineToken = typeof user.token === 'string' && user.token !== '';
  const tokenFile = [user.tokenFile, user['token-file']].find((f): f is string => typeof f === 'string' && f !== '');
  delete user.tokenFile;
  delete user['token-file'];
  if (!inlineToken && tokenFile) {
    const token = readCredentialFile(tokenFile, 'token', what).toString('utf8').trim();
    if (!token)
      throw new UsageError(
        `the token file "${tokenFile}" of ${what} is empty`,
        'log in again, or fix tokenFile in the kubeconfig',
      );
    user.token = token;
  }
  if (user.token) delete user.exec;

  const cert = material(user, 'client-certificate', what, 'client-certificate');
  const key = material(user, 'client-key', what, 'client-key');
  if (cert && !key) throw new UsageError(`${what} has a client certificate but no client-key(-data)`);
  if (key && !cert) throw new UsageError(`${what} has a client key but no client-certificate(-data)`);
  if (cert && key) {
    const certificate = checkCertificate(cert, `the client certificate of ${what}`);
    let privateKey: ReturnType<typeof createPrivateKey>;
    try {
      privateKey = createPrivateKey(key);
    } catch (err) {
      throw new UsageError(
        `the client key of ${what} is not a usable private key: ${(err as Error).message}`,
        undefined,
        { cause: err },
      );
    }
    if (!certificate.checkPrivateKey(privateKey))
      throw new UsageError(`the client key of ${what} does not belong to its client certificate`);
    inline(user, 'client-certificate', cert);
    inline(user, 'client-key', key);
  }
  return user;
}

/** The PEM of `key-data` (base64) or the file `key`, or undefined when neither is set. */
function material(entry: Record<string, unknown>, key: string, owner: string, label: string): Buffer | undefined {
  const data = entry[`${key}-data`];
  if (typeof data === 'string' && data !== '') {
    const pem = Buffer.from(data, 'base64');
    if (pem.length === 0) throw new UsageError(`${label}-data of ${owner} is not base64`);
    return pem;
  }
  const file = entry[key];
  if (typeof file === 'string' && file !== '') return readCredentialFile(file, label, owner);
  return undefined;
}

function inline(entry: Record<string, unknown>, key: string, pem: Buffer): void {
  delete entry[key];
  entry[`${key}-data`] = pem.toString('base64');
}

/** The message names the file before the owner: "token": ... would read as a secret to the terminal redaction. */
function readCredentialFile(file: string, label: string, owner: string): Buffer {
  try {
    return readFileBounded(file, MAX_CREDENTIAL_FILE_BYTES);
  } catch (err) {
    const reason =
      err instanceof TooLargeError ? `it is larger than ${formatBytes(err.limitBytes)}` : (err as Error).message;
    throw new UsageError(`cannot read the ${label} file "${file}" of ${owner}: ${reason}`, undefined, { cause: err });
  }
}

function checkCertificate(pem: Buffer, what: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (err) {
    throw new UsageError(`${what} is not a PEM certificate: ${(err as Error).message}`, undefined, { cause: err });
  }
}
