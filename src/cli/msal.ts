// @azure/msal-node for the CLI, bundled on its own as dist/cli-msal.js. dist/cli.js keeps the core's sign-in
// code but not MSAL: the core's loadMsal() `require('@azure/msal-node')` is redirected to './cli-msal' when
// dist/cli.js is built (scripts/build.mjs), so MSAL is read from disk only when a sign-in actually happens.
export * from '@azure/msal-node';
