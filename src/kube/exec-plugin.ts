// Exec credential plugins (users[].user.exec) run by @kubernetes/client-node, made safe to
// give up on: the plugin is killed when exposectl stops waiting (--request-timeout, or the
// command ends), and its output is limited, so a plugin that hangs or never stops writing
// costs neither a stuck process nor unbounded memory.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { formatBytes } from './bounded-read.js';

/** An ExecCredential is a few KiB (a token, maybe a client certificate and key). */
export const MAX_EXEC_OUTPUT_BYTES = 1024 * 1024;

export interface ExecPlugins {
  /** Drop-in for child_process.spawn, as client-node's ExecAuth calls it. */
  spawn(command: string, args: readonly string[] | undefined, opts: SpawnOptions): ChildProcess;
  /** Kills every plugin still running (SIGKILL: it is no longer waited for). */
  killAll(): void;
}

export function execPlugins(maxOutputBytes = MAX_EXEC_OUTPUT_BYTES): ExecPlugins {
  const running = new Set<ChildProcess>();
  return {
    spawn(command, args, opts) {
      // stdin closed: exposectl never lets a plugin prompt (kubectl's interactiveMode Never).
      const child = spawn(command, args ?? [], { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
      running.add(child);
      child.on('exit', () => running.delete(child));
      let bytes = 0;
      const count = (chunk: Buffer | string) => {
        bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
        if (bytes > maxOutputBytes && running.has(child)) {
          // client-node rejects with the first 'error' it saw once the process closes.
          child.emit('error', new Error(`the exec credential plugin "${command}" wrote more than ${formatBytes(maxOutputBytes)}; it was stopped`));
          child.kill('SIGKILL');
          running.delete(child);
        }
      };
      child.stdout?.on('data', count);
      child.stderr?.on('data', count);
      return child;
    },
    killAll() {
      for (const child of running) child.kill('SIGKILL');
      running.clear();
    },
  };
}
