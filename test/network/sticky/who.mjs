// A backend that answers with its own address, and a client that opens N connections in
// turn from one local address and prints the answers as JSON. Plain JS so it runs as
// `node who.mjs ...` inside a network namespace.
//   node who.mjs serve HOST PORT              prints "listening" once ready
//   node who.mjs burst HOST PORT LOCAL COUNT  prints ["198.51.100.11", ...]
import net from 'node:net';

function serve(host, port) {
  const server = net.createServer((sock) => {
    sock.on('error', () => {});
    sock.once('data', () => sock.end(`${sock.localAddress.replace(/^::ffff:/, '')}\n`));
  });
  server.listen(Number(port), host, () => console.log('listening'));
}

function once(host, port, localAddress) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port: Number(port), localAddress }, () => sock.write('who\n'));
    let out = '';
    sock.setTimeout(10_000, () => {
      sock.destroy();
      reject(new Error(`timeout from ${localAddress}`));
    });
    sock.on('data', (d) => {
      out += d;
    });
    sock.on('end', () => resolve(out.trim()));
    sock.on('error', reject);
  });
}

async function burst(host, port, localAddress, count) {
  const answers = [];
  for (let i = 0; i < Number(count); i++) answers.push(await once(host, port, localAddress));
  process.stdout.write(`${JSON.stringify(answers)}\n`);
}

const [cmd, host, port, local, count] = process.argv.slice(2);
if (cmd === 'serve') serve(host, port);
else if (cmd === 'burst')
  burst(host, port, local, count).catch((e) => {
    console.error(String(e));
    process.exit(1);
  });
else {
  console.error('usage: who.mjs serve HOST PORT | burst HOST PORT LOCAL COUNT');
  process.exit(2);
}
