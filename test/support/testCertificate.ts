import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  readonly key: string;
  readonly cert: string;
  /** The certificate as a file, for NODE_EXTRA_CA_CERTS in a child process. */
  readonly certFile: string;
  remove(): void;
}

/** A self-signed certificate for 127.0.0.1 and localhost, made with openssl and valid for one day. */
export function makeLoopbackCertificate(extraHostNames: readonly string[] = []): TestCertificate {
  return makeSelfSignedCertificate('intune-mao identity emulator', ['IP:127.0.0.1', 'DNS:localhost', ...extraHostNames.map((name) => `DNS:${name}`)]);
}

/** A self-signed certificate for these subject alternative names ("DNS:graph.microsoft.com", "IP:127.0.0.1"). */
export function makeSelfSignedCertificate(commonName: string, altNames: readonly string[]): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'intune-mao-cert-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      `subjectAltName=${altNames.join(',')}`,
    ],
    { stdio: 'pipe' },
  );
  return {
    key: readFileSync(keyFile, 'utf8'),
    cert: readFileSync(certFile, 'utf8'),
    certFile,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * A certificate for these host names issued by a certificate authority of its own, as a corporate TLS
 * inspection proxy makes them: `caFile` is what NODE_EXTRA_CA_CERTS would have to name to trust it.
 */
export function makeIssuedCertificate(hostNames: readonly string[]): TestCertificate & { readonly caFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'intune-mao-ca-'));
  const file = (name: string): string => join(dir, name);
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'pipe' });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    file('ca-key.pem'),
    '-out',
    file('ca.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=Contoso Inspection CA (test)',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  ]);
  run(['req', ...ec, '-keyout', file('key.pem'), '-out', file('leaf.csr'), '-subj', `/CN=${hostNames[0] ?? 'localhost'}`]);
  const extensions = file('leaf.ext');
  writeFileSync(extensions, `subjectAltName=${hostNames.map((name) => `DNS:${name}`).join(',')}\n`);
  run([
    'x509',
    '-req',
    '-in',
    file('leaf.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca-key.pem'),
    '-CAcreateserial',
    '-out',
    file('cert.pem'),
    '-days',
    '1',
    '-extfile',
    extensions,
  ]);
  return {
    key: readFileSync(file('key.pem'), 'utf8'),
    cert: readFileSync(file('cert.pem'), 'utf8'),
    certFile: file('cert.pem'),
    caFile: file('ca.pem'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
