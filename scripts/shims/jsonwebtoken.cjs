// @ts-check
// msal-node signs with jsonwebtoken only for a confidential client's certificate credential
// (ClientAssertion.createJwt, reached from ConfidentialClientApplication); the device code sign-in is a
// public client and never gets there. The shim keeps jsonwebtoken and what it pulls in (jws, semver,
// lodash.*, ms) out of the MSAL bundles, and says so plainly should anything ever call it.
function unavailable() {
  throw new Error('jsonwebtoken is not bundled: only a confidential client (certificate credential) needs it, and intune-mao signs in as a public client.');
}
module.exports = { sign: unavailable, verify: unavailable, decode: unavailable };
