// What editing a *.mao.json needs and nothing else: strict JSON parsing with positions, schema validation,
// problems, edits. Bundled on its own (dist/validation.js) for the extension, so opening a file loads the
// validator without the Graph client; the rest of the core imports it through this index only.
export * from './editOperation';
export * from './guid';
export * from './jsonText';
export * from './problems';
export * from './validateOperation';
export { localOnlyProperties, serverManagedProperties } from './schema/generated/operationValidator';
export * from './registrationTargets';
