// A persistent connection to BIRD's control socket, for polling without starting `birdc`
// (a process every few milliseconds would take CPU from the receivers being measured).
// BIRD's protocol: a greeting, then per command lines "NNNN-text" or " text", ended by a
// line "NNNN text"; 0000 is the end of a successful reply, 8xxx/9xxx are errors.
import { connect } from 'node:net';

export async function birdControl(path) {
  const socket = connect(path);
  socket.setEncoding('utf8');
  let buffer = '';
  let waiting = null;
  const finished = () => /(^|\n)(0000|[89]\d{3}) [^\n]*\n/.test(buffer);
  socket.on('data', (chunk) => {
    buffer += chunk;
    if (waiting && finished()) {
      const reply = buffer;
      buffer = '';
      const { resolve } = waiting;
      waiting = null;
      resolve(reply);
    }
  });
  const failed = new Promise((_, reject) => socket.on('error', reject));
  failed.catch(() => {});
  // The greeting ("0001 BIRD x.y ready.").
  await Promise.race([new Promise((resolve) => socket.once('data', resolve)), failed]);
  buffer = '';
  return {
    /** Sends one command and resolves with its whole reply. */
    command(text) {
      return Promise.race([
        new Promise((resolve, reject) => {
          waiting = { resolve, reject };
          socket.write(`${text}\n`);
        }),
        failed,
      ]);
    },
    close() {
      socket.destroy();
    },
  };
}
