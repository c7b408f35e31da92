// The core (validator, Graph client) is a separate bundle, dist/core.js, loaded the first time
// something needs it, so activation stays cheap. Only `import type` from '../core' is allowed in this folder:
// a value import would pull the core into dist/extension.js.
export type Core = typeof import('../core/index');

let core: Core | undefined;

export function loadCore(): Core {
  // The literal './core' is left alone by the bundler (external) and resolves to dist/core.js next to dist/extension.js.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (core ??= require('./core') as Core);
}
