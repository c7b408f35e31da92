import type { ApiVersion } from './clouds';
import type { Exchange, ExecuteOptions, GraphClient } from './graphClient';
import { buildOperationRequest, type GraphRequest } from './operationRequest';
import { isGuid, registrationIdsProperty, registrationTargetsOf, validateOperationText, wholeFileProblem, type Problem } from './validation';

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
 * own `$registrationId`; a missing or malformed id is a problem like any other, found before sending. A file
 * that names several registrations (`$registrationIds`) needs an explicit target here: see prepareOperations.
 */
export function prepareOperation(
  file: string,
  text: string,
  client: Pick<GraphClient, 'target'>,
  apiVersion: ApiVersion,
  registrationOverride?: string,
): PreparedOperation {
  const validation = validateOperationText(text);
  const problems = [...validation.problems];
  if (!validation.valid) {
    return { file, problems };
  }
  const named = registrationTargetsOf(validation.operation);
  if (registrationOverride === undefined && registrationIdsProperty(validation.operation) !== undefined && named.length !== 1) {
    problems.push(wholeFileProblem('target.several', `The file names ${named.length} registrations in "$registrationIds": one operation is prepared for each`));
    return { file, problems };
  }
  const fromFile = validation.operation?.['$registrationId'];
  const registrationId = registrationOverride ?? named[0] ?? (typeof fromFile === 'string' ? fromFile : undefined);
  if (registrationId === undefined) {
    problems.push(
      wholeFileProblem('target.missing', 'No target registration: give one with --registration or put "$registrationId" or "$registrationIds" in the file'),
    );
    return { file, problems };
  }
  if (!isGuid(registrationId)) {
    problems.push(wholeFileProblem('target.invalid', `The registration id ${JSON.stringify(String(registrationId).slice(0, 80))} is not a GUID`));
    return { file, problems };
  }
  const request = buildOperationRequest({ text, registrationId, apiVersion, target: client.target });
  return { file, problems, registrationId, request };
}

/**
 * One prepared operation per target of the file: the explicit target when given, else each registration of
 * its `$registrationIds` in order, else its `$registrationId`. Every one carries the same body.
 */
export function prepareOperations(
  file: string,
  text: string,
  client: Pick<GraphClient, 'target'>,
  apiVersion: ApiVersion,
  registrationOverride?: string,
): PreparedOperation[] {
  if (registrationOverride !== undefined) return [prepareOperation(file, text, client, apiVersion, registrationOverride)];
  const validation = validateOperationText(text);
  const several = validation.valid && registrationIdsProperty(validation.operation) !== undefined ? registrationTargetsOf(validation.operation) : [];
  if (several.length === 0) return [prepareOperation(file, text, client, apiVersion)];
  return several.map((id) => prepareOperation(file, text, client, apiVersion, id));
}

export async function sendPreparedOperation(client: GraphClient, prepared: PreparedOperation, options: ExecuteOptions = {}): Promise<OperationResult> {
  const base = { file: prepared.file, problems: prepared.problems, ...(prepared.registrationId ? { registrationId: prepared.registrationId } : {}) };
  if (!prepared.request) {
    return { ...base, outcome: 'invalid' };
  }
  const exchange = await client.execute(prepared.request, options);
  const outcome: FileOutcome = exchange.outcome === 'succeeded' ? 'created' : exchange.outcome === 'cancelled' ? 'skipped' : exchange.outcome;
  return { ...base, outcome, exchange };
}
