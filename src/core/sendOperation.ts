import type { ApiVersion } from './clouds';
import type { Exchange, ExecuteOptions, GraphClient } from './graphClient';
import { buildOperationRequest, type GraphRequest } from './operationRequest';
import { isGuid, validateOperationText, wholeFileProblem, type Problem } from './validation';

export type FileOutcome = 'created' | 'failed' | 'unknown' | 'invalid' | 'skipped';

/** A file checked and turned into a request, or the reasons it cannot be. */
export interface PreparedOperation {
  readonly file: string;
  readonly problems: Problem[];
  readonly registrationId?: string;
  readonly request?: GraphRequest;
}

export interface OperationResult {
  readonly file: string;
  readonly registrationId?: string;
  readonly outcome: FileOutcome;
  readonly problems: Problem[];
  readonly exchange?: Exchange;
  /** Why it did not go through, when nothing else says it. */
  readonly message?: string;
}

/**
 * Validates the text and builds its request. The target is the explicit one when given, else the file's
 * own `$registrationId`; a missing or malformed id is a problem like any other, found before sending.
 */
export function prepareOperation(
  file: string, text: string, client: Pick<GraphClient, 'target'>, apiVersion: ApiVersion, registrationOverride?: string,
): PreparedOperation {
  const validation = validateOperationText(text);
  const problems = [...validation.problems];
  if (!validation.valid) {
    return { file, problems };
  }
  const fromFile = validation.operation?.['$registrationId'];
  const registrationId = registrationOverride ?? (typeof fromFile === 'string' ? fromFile : undefined);
  if (registrationId === undefined) {
    problems.push(wholeFileProblem('target.missing', 'No target registration: give one with --registration or put "$registrationId" in the file'));
    return { file, problems };
  }
  if (!isGuid(registrationId)) {
    problems.push(wholeFileProblem('target.invalid', `The registration id ${JSON.stringify(String(registrationId).slice(0, 80))} is not a GUID`));
    return { file, problems };
  }
  const request = buildOperationRequest({ text, registrationId, apiVersion, target: client.target });
  return { file, problems, registrationId, request };
}

export async function sendPreparedOperation(client: GraphClient, prepared: PreparedOperation, options: ExecuteOptions = {}): Promise<OperationResult> {
  const base = { file: prepared.file, problems: prepared.problems, ...(prepared.registrationId ? { registrationId: prepared.registrationId } : {}) };
  if (!prepared.request) {
    return { ...base, outcome: 'invalid' };
  }
  const exchange = await client.execute(prepared.request, options);
  const outcome: FileOutcome = exchange.outcome === 'succeeded' ? 'created'
    : exchange.outcome === 'cancelled' ? 'skipped' : exchange.outcome;
  return { ...base, outcome, exchange };
}
