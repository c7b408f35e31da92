/** What Node's codes for a server certificate it refused mean, in words. */
const certificateProblems: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain ends in a self-signed authority this computer does not trust',
  UNABLE_TO_GET_ISSUER_CERT: 'its certificate was issued by an authority this computer does not know',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate was issued by an authority this computer does not know',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate cannot be traced to an authority this computer trusts',
  CERT_UNTRUSTED: 'its certificate is not trusted',
  CERT_REJECTED: 'its certificate is not trusted',
  CERT_HAS_EXPIRED: 'its certificate has expired',
  CERT_NOT_YET_VALID: 'its certificate is not valid yet',
  CERT_REVOKED: 'its certificate was revoked',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for another host name',
  HOSTNAME_MISMATCH: 'its certificate is for another host name',
};

/**
 * A sentence for a TLS handshake that failed because Node refused the server's certificate, or undefined for
 * any other failure. Through a proxy this is typically TLS inspection: the proxy shows a certificate of its own.
 */
export function describeCertificateFailure(code: string, host: string, proxy: string | undefined): string | undefined {
  const problem = certificateProblems[code];
  if (!problem) return undefined;
  const inspection = proxy ? ` The proxy ${proxy} may be inspecting TLS with a certificate of its own.` : '';
  return (
    `The TLS connection to ${host} was refused: ${problem} (${code}).${inspection} If your organisation inspects TLS ` +
    'with its own certificate authority, trust that authority: set NODE_EXTRA_CA_CERTS to its certificate (a PEM file).'
  );
}
