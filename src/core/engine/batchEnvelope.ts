/** Graph takes at most this many requests in one JSON batch. */
export const maxBatchRequests = 20;

export interface BatchPart {
  /** Unique within the batch. */
  readonly id: string;
  /** Relative to the version root, e.g. /deviceAppManagement/managedAppRegistrations/{id}/operations */
  readonly url: string;
  readonly clientRequestId: string;
  /** A JSON object's text, spliced in exactly as written. */
  readonly body: string;
}

/**
 * The `$batch` envelope, written by hand around each body's own text: parsing and re-serialising would change
 * number spelling (1.50 → 1.5) and spacing, and the body Graph receives must be the one written.
 */
export function batchEnvelope(parts: readonly BatchPart[]): string {
  const requests = parts.map((part) => {
    const head = JSON.stringify({
      id: part.id,
      method: 'POST',
      url: part.url,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'client-request-id': part.clientRequestId },
    });
    return `${head.slice(0, -1)},"body":${part.body}}`;
  });
  return `{"requests":[${requests.join(',')}]}`;
}

export interface BatchAnswer {
  readonly status: number;
  /** Lower-cased names. */
  readonly headers: Record<string, string>;
  /** The inner body as JSON text ('' when there is none). */
  readonly bodyText: string;
  readonly body?: unknown;
}

/** The inner answers by request id, or undefined when the text is not a batch answer. */
export function readBatchAnswers(text: string): Map<string, BatchAnswer> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const responses = isObject(parsed) ? parsed['responses'] : undefined;
  if (!Array.isArray(responses)) return undefined;
  const answers = new Map<string, BatchAnswer>();
  for (const response of responses) {
    if (!isObject(response) || typeof response['id'] !== 'string' || typeof response['status'] !== 'number') continue;
    if (answers.has(response['id'])) return undefined;
    const headers: Record<string, string> = {};
    if (isObject(response['headers'])) {
      for (const [name, value] of Object.entries(response['headers'])) {
        if (typeof value === 'string' || typeof value === 'number') headers[name.toLowerCase()] = String(value);
      }
    }
    const body = response['body'];
    const bodyText = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    answers.set(response['id'], { status: response['status'], headers, bodyText, ...(body !== undefined ? { body } : {}) });
  }
  return answers;
}

/** Whether a failed envelope's answer proves Graph processed none of its requests: a 4xx of its own, as Graph writes one. */
export function envelopeRefusedWhole(status: number, bodyText: string): boolean {
  if (status < 400 || status >= 500 || status === 408) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return false;
  }
  return isObject(parsed) && isObject(parsed['error']) && typeof parsed['error']['code'] === 'string' && !('responses' in parsed);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
