import { DROP_CONNECTION, type GraphAnswer, type GraphCall, type GraphOutcome } from './graphCall';
import { errorAnswer, jsonTextAnswer } from './graphResponses';
import { type JsonNode, memberOf, parseWithSpans } from './jsonSpans';
import type { GraphVersion } from './tenant';

export const MAX_BATCH_REQUESTS = 20;

interface BatchStep {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  dependsOn: string[];
}

type StepsOrError = { ok: true; steps: BatchStep[] } | { ok: false; message: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function readSteps(envelope: string): StepsOrError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(envelope);
  } catch {
    return { ok: false, message: 'Invalid batch payload format: the body is not valid JSON.' };
  }
  if (!isObject(parsed) || !Array.isArray(parsed.requests)) {
    return { ok: false, message: "Invalid batch payload format: expected an object with a 'requests' array." };
  }
  if (parsed.requests.length === 0) return { ok: false, message: 'The batch contains no requests.' };
  if (parsed.requests.length > MAX_BATCH_REQUESTS) {
    return { ok: false, message: `The batch contains ${parsed.requests.length} requests; the limit is ${MAX_BATCH_REQUESTS}.` };
  }
  const requestNodes = requestNodesOf(envelope);

  const steps: BatchStep[] = [];
  const seen = new Set<string>();
  for (const [index, raw] of (parsed.requests as unknown[]).entries()) {
    if (!isObject(raw) || typeof raw.id !== 'string' || raw.id === '') {
      return { ok: false, message: "Every batch request needs a non-empty string 'id'." };
    }
    if (typeof raw.method !== 'string' || typeof raw.url !== 'string') {
      return { ok: false, message: `Batch request '${raw.id}' needs a 'method' and a 'url'.` };
    }
    if (seen.has(raw.id)) return { ok: false, message: `Batch request id '${raw.id}' is used more than once.` };
    const dependsOn = raw.dependsOn ?? [];
    if (!Array.isArray(dependsOn) || dependsOn.some((id) => typeof id !== 'string' || !seen.has(id))) {
      return { ok: false, message: `Batch request '${raw.id}' depends on a request that does not come before it.` };
    }
    seen.add(raw.id);

    const headers: Record<string, string> = {};
    if (isObject(raw.headers)) {
      for (const [name, value] of Object.entries(raw.headers)) {
        if (typeof value === 'string') headers[name.toLowerCase()] = value;
      }
    }
    const body = raw.body === undefined ? '' : typeof raw.body === 'string' ? raw.body : bodyText(envelope, requestNodes[index]);
    steps.push({ id: raw.id, method: raw.method.toUpperCase(), url: raw.url, headers, body, dependsOn: dependsOn as string[] });
  }
  return { ok: true, steps };
}

function requestNodesOf(text: string): JsonNode[] {
  const requests = memberOf(parseWithSpans(text), 'requests');
  return requests?.kind === 'array' ? requests.items : [];
}

/** A step's JSON body exactly as the envelope spells it. */
function bodyText(text: string, request: JsonNode | undefined): string {
  const body = request && memberOf(request, 'body');
  if (!body) throw new Error('The batch reader lost track of a request body.');
  return text.slice(body.start, body.end);
}

function stepCall(outer: GraphCall, version: GraphVersion, step: BatchStep): GraphCall {
  const headers: Record<string, string> = { ...step.headers };
  // Inner requests carry no credentials of their own: the batch's token applies to all of them.
  delete headers.authorization;
  if (outer.headers.authorization !== undefined) headers.authorization = outer.headers.authorization;
  return {
    method: step.method,
    target: `/${version}/${step.url.replace(/^\/+/, '')}`,
    headers,
    body: step.body,
    requestId: outer.requestId,
    clientRequestId: step.headers['client-request-id'] ?? outer.clientRequestId,
    insideBatch: true,
    signal: outer.signal,
    effects: outer.effects,
  };
}

function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** One entry of `responses`, a JSON answer's body spliced in as it is; other bodies become a JSON string. */
function stepResponse(id: string, answer: GraphAnswer): string {
  const head = `{"id":${JSON.stringify(id)},"status":${answer.status},"headers":${JSON.stringify(answer.headers)}`;
  if (answer.body === '') return `${head}}`;
  const isJson = (answer.headers['Content-Type'] ?? '').startsWith('application/json') && isJsonText(answer.body);
  return `${head},"body":${isJson ? answer.body : JSON.stringify(answer.body)}}`;
}

/** Answers `POST /{version}/$batch`, running each step through `runStep` in order. */
export async function handleBatch(call: GraphCall, version: GraphVersion, runStep: (step: GraphCall) => Promise<GraphOutcome>): Promise<GraphOutcome> {
  const read = readSteps(call.body);
  if (!read.ok) return errorAnswer(call, 400, 'BadRequest', read.message);
  if (call.recorded) {
    call.recorded.batchSteps = read.steps.map(({ id, method, url, headers, body }) => ({ id, method, url, headers, body }));
  }

  const statuses = new Map<string, number>();
  const responses: string[] = [];
  for (const step of read.steps) {
    const inner = stepCall(call, version, step);
    let answer: GraphOutcome;
    if (step.dependsOn.some((id) => (statuses.get(id) ?? 0) >= 400)) {
      answer = errorAnswer(inner, 424, 'FailedDependency', 'A request this request depends on failed.');
    } else if (/^[a-z][a-z0-9+.-]*:/i.test(step.url)) {
      answer = errorAnswer(inner, 400, 'BadRequest', `Batch request URLs must be relative to the version root, not '${step.url}'.`);
    } else if (step.body !== '' && step.headers['content-type'] === undefined) {
      answer = errorAnswer(inner, 400, 'BadRequest', 'A Content-Type header is required when a batch request has a body.');
    } else {
      answer = await runStep(inner);
    }
    if (answer === DROP_CONNECTION) return DROP_CONNECTION;
    statuses.set(step.id, answer.status);
    responses.push(stepResponse(step.id, answer));
  }
  return jsonTextAnswer(200, `{"responses":[${responses.join(',')}]}`);
}
