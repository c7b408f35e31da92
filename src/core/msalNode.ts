// @azure/msal-node as a bundle of its own (dist/msal-node.js), required by the core only when a device code
// sign-in happens, so neither the CLI's start-up nor the extension's first send parses MSAL.
export * from '@azure/msal-node';
