import type { GraphAnswer, GraphCall } from './graphCall';
import { errorDate, newGuid } from './ids';

export const SUCCESS_CONTENT_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
export const ERROR_CONTENT_TYPE = 'application/json';

export const DEFAULT_WWW_AUTHENTICATE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", ' + 'client_id="00000003-0000-0000-c000-000000000000"';

const AGS_DIAGNOSTIC = JSON.stringify({
  ServerInfo: { DataCenter: 'West Europe', Slice: 'E', Ring: '5', ScaleUnit: '003', RoleInstance: 'AM4PEPF00027A62' },
});

/** Headers every real Graph response carries, whatever its body. */
export function transportHeaders(call: Pick<GraphCall, 'requestId' | 'clientRequestId'>): Record<string, string> {
  return {
    'request-id': call.requestId,
    'client-request-id': call.clientRequestId,
    'x-ms-ags-diagnostic': AGS_DIAGNOSTIC,
    Date: new Date().toUTCString(),
    'Strict-Transport-Security': 'max-age=31536000',
  };
}

export function jsonAnswer(status: number, value: unknown, headers: Record<string, string> = {}): GraphAnswer {
  return jsonTextAnswer(status, JSON.stringify(value), headers);
}

/** A success answer whose JSON text is already written. */
export function jsonTextAnswer(status: number, text: string, headers: Record<string, string> = {}): GraphAnswer {
  return {
    status,
    headers: { 'Content-Type': SUCCESS_CONTENT_TYPE, 'OData-Version': '4.0', 'Cache-Control': 'no-cache', ...headers },
    body: text,
  };
}

export function errorAnswer(call: GraphCall, status: number, code: string, message: string, headers: Record<string, string> = {}): GraphAnswer {
  const innerError: Record<string, string> = {
    date: errorDate(),
    'request-id': call.requestId,
    'client-request-id': call.clientRequestId,
  };
  if (status === 429) {
    innerError.code = '429';
    innerError.status = '429';
  }
  return {
    status,
    headers: { 'Content-Type': ERROR_CONTENT_TYPE, 'OData-Version': '4.0', 'Cache-Control': 'no-cache', ...headers },
    body: JSON.stringify({ error: { code, message, innerError } }),
  };
}

/** Intune's habit: a pretty-printed JSON document, CRLF line breaks, as the text of error.message. */
export function intuneMessage(call: GraphCall, text: string): string {
  const servicePath = call.target.split('?')[0].replace(/^\/(beta|v1\.0)(?=\/|$)/i, '');
  const document = {
    _version: 3,
    Message:
      `${text} - Operation ID (for customer support): ${newGuid()} - Activity ID: ${call.requestId} - ` +
      `Url: https://fef.msub02.manage.microsoft.com/StatelessAppProtectionFEService${servicePath}?api-version=5024-09-13`,
    CustomApiErrorPhrase: '',
    RetryAfter: null,
    ErrorSourceService: '',
    HttpHeaders: '{}',
  };
  return JSON.stringify(document, null, 2).replace(/\n/g, '\r\n');
}

interface ErrorStyle {
  code: string;
  text: string;
  /** Whether Intune wraps the text in its `_version: 3` document. */
  intune: boolean;
}

const ERROR_STYLES: Record<number, ErrorStyle> = {
  400: { code: 'BadRequest', text: 'The request is invalid.', intune: false },
  401: { code: 'InvalidAuthenticationToken', text: 'Access token validation failure.', intune: false },
  403: { code: 'Forbidden', text: 'Application is not authorized to perform this operation.', intune: true },
  404: { code: 'ResourceNotFound', text: 'Resource not found.', intune: true },
  405: { code: 'BadRequest', text: 'The HTTP method is not allowed for this resource.', intune: false },
  409: { code: 'Conflict', text: 'The request conflicts with the current state of the resource.', intune: true },
  412: { code: 'PreconditionFailed', text: 'A precondition of the request failed.', intune: false },
  413: { code: 'RequestEntityTooLarge', text: 'The request body is too large.', intune: false },
  429: { code: 'TooManyRequests', text: 'Too many requests.', intune: false },
  500: { code: 'InternalError', text: 'An internal server error has occurred.', intune: true },
  502: { code: 'BadGateway', text: 'The gateway received an invalid response.', intune: false },
  503: { code: 'serviceNotAvailable', text: 'The service is temporarily unavailable. Please retry later.', intune: false },
  504: { code: 'GatewayTimeout', text: 'The gateway did not receive a response in time.', intune: false },
};

export function errorStyleFor(status: number): ErrorStyle {
  return ERROR_STYLES[status] ?? { code: status >= 500 ? 'UnknownError' : 'BadRequest', text: `HTTP ${status}.`, intune: false };
}

/** An error answer with the code and wording Graph uses for this status. */
export function standardError(call: GraphCall, status: number, headers: Record<string, string> = {}): GraphAnswer {
  const style = errorStyleFor(status);
  return errorAnswer(call, status, style.code, style.intune ? intuneMessage(call, style.text) : style.text, headers);
}

export function htmlGatewayPage(status: number): string {
  const title = `${status} ${status === 504 ? 'Gateway Time-out' : status === 503 ? 'Service Unavailable' : 'Bad Gateway'}`;
  return (
    `<!DOCTYPE html>\r\n<html><head><title>${title}</title></head>\r\n` +
    `<body><h1>${title}</h1><p>The upstream server did not answer correctly.</p></body></html>\r\n`
  );
}
