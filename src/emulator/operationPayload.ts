// Validation of a POST .../operations body the way the OData reader behind Intune treats it.

export type PayloadCheck =
  { ok: true; displayName: string | null; state: string | null } | { ok: false; code: 'BadRequest' | 'ModelValidationFailure'; message: string };

const OPERATION_TYPE = '#microsoft.graph.managedAppOperation';
const DECLARED_PROPERTIES = new Set(['id', 'displayName', 'lastModifiedDateTime', 'state', 'version']);
// `@ns.term` (instance annotation) or `prop@ns.term` (property annotation); the term is namespace-qualified.
const ANNOTATION = /^[A-Za-z_]\w*@[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$|^@[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$/;

function badRequest(message: string): PayloadCheck {
  return { ok: false, code: 'BadRequest', message };
}

function stringOrNull(name: string, value: unknown): string | null | PayloadCheck {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  return badRequest(`Cannot convert the literal '${JSON.stringify(value)}' to the expected type 'Edm.String' of property '${name}'.`);
}

export function checkOperationPayload(body: string): PayloadCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return badRequest(body.trim() === '' ? 'The request body is empty. A JSON object was expected.' : 'The request body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return badRequest('The request body must be a JSON object.');
  }
  const payload = parsed as Record<string, unknown>;

  const type = payload['@odata.type'];
  if (type !== undefined && type !== OPERATION_TYPE) {
    const name = typeof type === 'string' ? type.replace(/^#/, '') : JSON.stringify(type);
    return badRequest(`A type named '${name}' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.`);
  }

  for (const key of Object.keys(payload)) {
    if (key === '@odata.type' || DECLARED_PROPERTIES.has(key) || ANNOTATION.test(key)) continue;
    return {
      ok: false,
      code: 'ModelValidationFailure',
      message:
        `The property '${key}' does not exist on type 'microsoft.management.services.api.managedAppOperation'. ` +
        'Make sure to only use property names that are defined by the type or mark the type as open type.',
    };
  }

  const displayName = stringOrNull('displayName', payload.displayName);
  if (displayName !== null && typeof displayName === 'object') return displayName;
  const state = stringOrNull('state', payload.state);
  if (state !== null && typeof state === 'object') return state;
  // The service assigns the version, but the reader still rejects a value of the wrong type.
  const version = stringOrNull('version', payload.version);
  if (version !== null && typeof version === 'object') return version;
  return { ok: true, displayName, state };
}
