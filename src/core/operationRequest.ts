import type { ApiVersion, GraphTarget } from './clouds';
import { SetupFailure } from './failures';
import { isGuid, localOnlyProperties, stripBom, withoutTopLevelProperties } from './validation';

/** An HTTP request without its credentials: the Authorization header is added by the client at send time. */
export interface GraphRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export class InvalidRegistrationIdError extends SetupFailure {
  constructor(readonly value: string) {
    super(
      `The registration id ${JSON.stringify(value.length > 80 ? value.slice(0, 80) + '…' : value)} is not a GUID (expected e.g. 3f2504e0-4f89-11d3-9a0c-0305e82c3301)`,
    );
  }
}

export function operationsPath(apiVersion: ApiVersion, registrationId: string): string {
  if (!isGuid(registrationId)) {
    throw new InvalidRegistrationIdError(registrationId);
  }
  return `/${apiVersion}/deviceAppManagement/managedAppRegistrations/${registrationId.toLowerCase()}/operations`;
}

export function registrationsPath(apiVersion: ApiVersion): string {
  return `/${apiVersion}/deviceAppManagement/managedAppRegistrations`;
}

/**
 * The body Graph receives: the file's text as written, less the keys that only mean something locally
 * ($schema, $registrationId) and the BOM.
 */
export function requestBodyFromText(text: string): string {
  return withoutTopLevelProperties(stripBom(text), localOnlyProperties);
}

export interface OperationRequestInput {
  readonly text: string;
  readonly registrationId: string;
  readonly apiVersion: ApiVersion;
  readonly target: GraphTarget;
}

export function buildOperationRequest(input: OperationRequestInput): GraphRequest {
  return {
    method: 'POST',
    url: input.target.root + operationsPath(input.apiVersion, input.registrationId),
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: requestBodyFromText(input.text),
  };
}

export function buildGetRequest(target: GraphTarget, path: string): GraphRequest {
  return { method: 'GET', url: target.root + path, headers: { Accept: 'application/json' } };
}
