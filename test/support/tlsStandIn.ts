import { connect, type AddressInfo, type Socket } from 'node:net';
import { createServer } from 'node:tls';
import { makeSelfSignedCertificate } from './testCertificate';

export interface TlsStandIn {
  readonly port: number;
  /** Its certificate, for NODE_EXTRA_CA_CERTS. */
  readonly certificateFile: string;
  close(): Promise<void>;
}

/**
 * A TLS front for a loopback HTTP server under a real host's name (graph.microsoft.com): a test proxy tunnels
 * that host here, so the CLI talks to the emulator through the proxy without anything leaving the machine.
 */
export async function startTlsStandIn(hostName: string, forwardToPort: number): Promise<TlsStandIn> {
  const certificate = makeSelfSignedCertificate(`${hostName} (test stand-in)`, [`DNS:${hostName}`]);
  const sockets = new Set<Socket>();
  const server = createServer({ key: certificate.key, cert: certificate.cert }, (secure) => {
    const plain = connect({ host: '127.0.0.1', port: forwardToPort });
    for (const socket of [secure, plain]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        secure.destroy();
        plain.destroy();
      });
    }
    secure.pipe(plain).pipe(secure);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    certificateFile: certificate.certFile,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          certificate.remove();
          resolve();
        });
      }),
  };
}
