import type { RecordedRequest } from './types';

/** One request to a Graph path: a direct HTTP request, or one entry of a $batch. */
export interface GraphCall {
  /** Upper case. */
  method: string;
  /** Path and query as received, e.g. '/beta/deviceAppManagement/managedAppRegistrations?$top=2'. */
  target: string;
  /** Lower-cased names. Inside a batch, `authorization` is the outer request's. */
  headers: Record<string, string>;
  body: string;
  requestId: string;
  clientRequestId: string;
  insideBatch: boolean;
  /** Aborted when the client goes away or the emulator closes. */
  signal: AbortSignal;
  /** What the call changed; a $batch and its steps share one, so a fault on the batch sees its steps' writes. */
  effects: { operationsCreated: number };
  /** The recorded HTTP request (direct calls and $batch envelopes only). */
  recorded?: RecordedRequest;
}

export interface GraphAnswer {
  status: number;
  /** Response-specific headers; transport headers (request-id, Date, ...) are added by the server. */
  headers: Record<string, string>;
  body: string;
}

/** Returned instead of an answer when the connection must be dropped without a response. */
export const DROP_CONNECTION = Symbol('drop connection');
export type GraphOutcome = GraphAnswer | typeof DROP_CONNECTION;

const OPERATIONS_PATH = /^\/(beta|v1\.0)\/deviceAppManagement\/managedAppRegistrations\/[^/]+\/operations\/?$/i;

/** A POST that creates a managedAppOperation, direct or inside a batch. */
export function isOperationPost(call: Pick<GraphCall, 'method' | 'target'>): boolean {
  return call.method === 'POST' && OPERATIONS_PATH.test(call.target.split('?')[0]);
}
