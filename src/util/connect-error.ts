// Why a TCP/HTTP request got no answer, in the words the probes print.

/** "connection refused", "host unreachable", "network unreachable", else the error's message. */
export function connectErrorText(e: NodeJS.ErrnoException): string {
  return e.code === 'ECONNREFUSED'
    ? 'connection refused'
    : e.code === 'EHOSTUNREACH'
      ? 'host unreachable'
      : e.code === 'ENETUNREACH'
        ? 'network unreachable'
        : e.message;
}
