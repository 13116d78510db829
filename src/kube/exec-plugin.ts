// Exec credential plugins (users[].user.exec) run by @kubernetes/client-node, made safe to
// give up on: the plugin is killed when exposectl stops waiting (--request-timeout, or the
// command ends), and its output is limited, so a plugin that hangs or never stops writing
// costs neither a stuck process nor unbounded memory. Started with execa (an argument
// array, no shell), adapted to the ChildProcess events client-node's ExecAuth listens to.
import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import { execa } from 'execa';
import { formatBytes } from '../util/bounded-read.js';

/** An ExecCredential is a few KiB (a token, maybe a client certificate and key). */
export const MAX_EXEC_OUTPUT_BYTES = 1024 * 1024;

/** What client-node's ExecAuth uses of a child process: the output streams, 'error' and 'close' (exit code). */
export interface PluginProcess extends EventEmitter {
  stdout: Readable;
  stderr: Readable;
}

export interface ExecPlugins {
  /** Drop-in for child_process.spawn, as client-node's ExecAuth calls it. */
  spawn(command: string, args: readonly string[] | undefined, opts: { env?: NodeJS.ProcessEnv }): PluginProcess;
  /** Kills every plugin still running (SIGKILL: it is no longer waited for). */
  killAll(): void;
}

export function execPlugins(maxOutputBytes = MAX_EXEC_OUTPUT_BYTES): ExecPlugins {
  const running = new Set<{ kill(signal: NodeJS.Signals): boolean }>();
  return {
    spawn(command, args, opts) {
      const argv = [...(args ?? [])];
      // stdin closed: exposectl never lets a plugin prompt (kubectl's interactiveMode Never).
      // Not buffered by execa: client-node reads the streams itself.
      const subprocess = execa(command, argv, {
        ...(opts.env ? { env: opts.env } : {}),
        stdin: 'ignore',
        buffer: false,
        reject: false,
      });
      running.add(subprocess);
      const child = Object.assign(new EventEmitter(), { stdout: subprocess.stdout, stderr: subprocess.stderr });
      let tooMuch: Error | undefined;
      let bytes = 0;
      const count = (chunk: Buffer | string) => {
        bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
        if (bytes > maxOutputBytes && !tooMuch) {
          tooMuch = new Error(
            `the exec credential plugin "${command}" wrote more than ${formatBytes(maxOutputBytes)}; it was stopped`,
          );
          subprocess.kill('SIGKILL');
        }
      };
      subprocess.stdout.on('data', count);
      subprocess.stderr.on('data', count);
      void subprocess.then((result) => {
        running.delete(subprocess);
        // client-node rejects with the first 'error' it saw once the process closes.
        if (tooMuch) child.emit('error', tooMuch);
        else if (result.failed && result.exitCode === undefined && !result.isTerminated) child.emit('error', result); // could not start
        child.emit('close', result.exitCode ?? null, result.signal ?? null);
      });
      return child;
    },
    killAll() {
      for (const subprocess of running) subprocess.kill('SIGKILL');
      running.clear();
    },
  };
}
