// @ts-check
// What each of the extension's bundles may contain, checked on every build (scripts/build.mjs) so that a stray
// value import cannot bring the core, a library or MSAL into what a window loads at activation.

// Small dependency-free core modules the extension's bundles may carry themselves: setting ids and defaults, the
// clouds' table, permission names, the failure kinds, redaction. Anything else of the core stays in dist/core.js.
export const coreDataModules = new Set([
  'src/core/settings.ts',
  'src/core/clouds.ts',
  'src/core/graphPermissions.ts',
  'src/core/failures.ts',
  'src/core/redact.ts',
]);

/**
 * Activation: the extension's own eager modules (not its features) and the core's data tables.
 * @param {string} input
 */
export function mayBeInActivationBundle(input) {
  return (input.startsWith('src/extension/') && !input.startsWith('src/extension/features/')) || coreDataModules.has(input);
}

/**
 * The lazily loaded features use the core and the validator through require('./core') / require('./validation').
 * @param {string} input
 */
export function mayBeInFeaturesBundle(input) {
  return input.startsWith('src/extension/') || coreDataModules.has(input);
}

/**
 * Why a bundle's inputs (repository-relative paths) break its entry's rules, or undefined.
 * @param {{ out: string, without?: RegExp, only?: (input: string) => boolean }} entry
 * @param {string[]} inputs
 */
export function bundleProblem(entry, inputs) {
  const unwanted = inputs.filter((input) => (entry.without && entry.without.test(input)) || (entry.only && !entry.only(input)));
  if (unwanted.length === 0) return undefined;
  return `${entry.out} must not bundle ${unwanted[0]}${unwanted.length > 1 ? ` (and ${unwanted.length - 1} more)` : ''}`;
}
