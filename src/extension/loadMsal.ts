// The device code sign-in (MSAL inside) is dist/msal.js, loaded only when VS Code's own Microsoft sign-in
// is unavailable and a client id is set. Only `import type` from './msalSignIn' here and in signIn.ts.
export type MsalSignInModule = typeof import('./msalSignIn');

let module: MsalSignInModule | undefined;

export function loadMsalSignIn(): MsalSignInModule {
  // The literal './msal' is left alone by the bundler (external) and resolves to dist/msal.js next to dist/extension.js.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (module ??= require('./msal') as MsalSignInModule);
}
