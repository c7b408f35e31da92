// The extension's own code never bundles the core: the build check fails if a value import of it slips into
// dist/extension.js or dist/features.js. It is required here, on first use, as two bundles next to them:
// dist/validation.js (what an open *.mao.json needs) and dist/core.js (the Graph client and the rest).
export type Validation = typeof import('../../core/validation/index');
export type Core = typeof import('../../core/index');

let validation: Validation | undefined;
let core: Core | undefined;

/** The validator: strict JSON with positions, schema problems, edits. No Graph client, no network code. */
export function loadValidation(): Validation {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (validation ??= require('./validation') as Validation);
}

/** The whole core (it requires dist/validation.js itself). Loaded when something is sent or listed. */
export function loadCore(): Core {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (core ??= require('./core') as Core);
}
