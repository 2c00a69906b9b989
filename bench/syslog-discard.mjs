// A discard collector for bench/syslog.bench.ts, in a process of its own so that its CPU time is not the
// sender's: a TCP and a TLS listener on loopback that read everything, keep nothing, and close their end
// when the client ends its own (as a syslog collector does, which is what the sink's acknowledgement
// waits for). The TLS listener asks for a client certificate, like the test rsyslogd. The certificates
// come as JSON in TC_DISCARD_PKI ({ ca, serverCert, serverKey }); the ports are printed as one JSON line.
import net from 'node:net';
import tls from 'node:tls';

const pki = JSON.parse(process.env.TC_DISCARD_PKI ?? '{}');

function discard(socket) {
  socket.on('error', () => undefined);
  socket.on('end', () => socket.end());
  socket.resume();
}

const plain = net.createServer(discard);
const secure = tls.createServer(
  { key: pki.serverKey, cert: pki.serverCert, ca: pki.ca, requestCert: true, rejectUnauthorized: true },
  discard,
);
secure.on('tlsClientError', () => undefined);
await Promise.all([
  new Promise((resolve) => plain.listen(0, '127.0.0.1', resolve)),
  new Promise((resolve) => secure.listen(0, '127.0.0.1', resolve)),
]);
process.stdout.write(`${JSON.stringify({ tcp: plain.address().port, tls: secure.address().port })}\n`);
// Ends with its parent: stdin closes when the benchmark exits.
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
