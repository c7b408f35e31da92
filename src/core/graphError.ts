/** A Graph error answer, decoded into what a person needs to act on it. */
export interface GraphErrorDetails {
  readonly status: number;
  readonly code?: string;
  /** The most useful sentence: Intune's inner message when there is one, else Graph's message. */
  readonly message: string;
  /** Intune's inner message (from the `_version: 3` JSON string), when present. */
  readonly innerMessage?: string;
  readonly activityId?: string;
  readonly operationId?: string;
  readonly requestId?: string;
  readonly clientRequestId?: string;
  readonly date?: string;
  /** What the body was, when it was not Graph's JSON. */
  readonly bodyKind: 'graph-json' | 'json' | 'html' | 'text' | 'empty';
}

const guid = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

export function decodeGraphError(status: number, headers: Record<string, string>, bodyText: string): GraphErrorDetails {
  const fromHeaders = {
    requestId: headers['request-id'],
    clientRequestId: headers['client-request-id'],
    date: headers['date'],
  };
  const trimmed = bodyText.trim();
  if (!trimmed) {
    return { status, message: `HTTP ${status} with an empty body`, bodyKind: 'empty', ...defined(fromHeaders) };
  }
  const json = tryParse(trimmed);
  const error = isObject(json) && isObject(json['error']) ? json['error'] : undefined;
  if (!error) {
    const kind = json !== undefined ? 'json' : /^<(!doctype|html|\?xml|head|body)/i.test(trimmed) ? 'html' : 'text';
    return { status, message: summarizeBody(kind, trimmed, status), bodyKind: kind, ...defined(fromHeaders) };
  }
  const inner = isObject(error['innerError']) ? error['innerError'] : {};
  const code = typeof error['code'] === 'string' ? error['code'] : undefined;
  const rawMessage = typeof error['message'] === 'string' ? error['message'] : '';
  const intune = decodeIntuneMessage(rawMessage);
  return {
    status,
    message: intune?.text || rawMessage || code || `HTTP ${status}`,
    bodyKind: 'graph-json',
    ...defined({
      code,
      innerMessage: intune?.text,
      activityId: intune?.activityId,
      operationId: intune?.operationId,
      requestId: stringOr(inner['request-id'], fromHeaders.requestId),
      clientRequestId: stringOr(inner['client-request-id'], fromHeaders.clientRequestId),
      date: stringOr(inner['date'], fromHeaders.date),
    }),
  };
}

interface IntuneMessage {
  text: string;
  activityId?: string;
  operationId?: string;
}

/**
 * Intune puts a JSON string with `_version: 3` inside error.message; its Message holds the text followed by
 * " - Operation ID (for customer support): … - Activity ID: … - Url: …".
 */
export function decodeIntuneMessage(message: string): IntuneMessage | undefined {
  const json = tryParse(message.trim());
  if (!isObject(json) || typeof json['Message'] !== 'string') {
    return undefined;
  }
  const full = json['Message'];
  const activityId = new RegExp(`Activity ID:\\s*(${guid})`, 'i').exec(full)?.[1];
  const operationId = new RegExp(`Operation ID[^:]*:\\s*(${guid})`, 'i').exec(full)?.[1];
  const text = full.split(/\s+-\s+(?:Operation ID|Activity ID|Url)\b/i)[0]!.trim();
  return { text: text || full, ...defined({ activityId, operationId }) };
}

function summarizeBody(kind: string, body: string, status: number): string {
  if (kind === 'html') {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
    return `HTTP ${status}: the server answered with an HTML page${title ? ` ("${title.slice(0, 120)}")` : ''} instead of Graph's JSON (a gateway or proxy error)`;
  }
  const firstLine = body.split(/\r?\n/)[0]!.slice(0, 200);
  return `HTTP ${status}: ${firstLine}${body.length > firstLine.length ? '…' : ''}`;
}

function tryParse(text: string): unknown {
  if (!text.startsWith('{') && !text.startsWith('[')) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOr(value: unknown, fallback: string | undefined): string | undefined {
  return typeof value === 'string' && value ? value : fallback;
}

function defined<T extends Record<string, unknown>>(values: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as never;
}
