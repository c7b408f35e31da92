import type { AttemptAnswer, AttemptGate, Exchange } from '../graphClient';
import { decodeGraphError } from '../graphError';
import { operationsPath } from '../operationRequest';
import { isSafeToRepeatPost, parseRetryAfter } from '../retryPolicy';
import { batchEnvelope, envelopeRefusedWhole, readBatchAnswers, type BatchAnswer } from './batchEnvelope';
import { dateSample, operationSample } from './clockSkew';
import { notSentResult, resultAfterAnswerThenError, sentParts, unknownReason } from './itemResults';
import type { ItemState, SendContext, SendReport, SendVerdict } from './sendContext';
import type { WriteTicket } from './writePacer';

/**
 * Sends several items in one `POST $batch`. Only inner 429/503 are sent again; inner 500/502/504/408 and
 * redirects, and a batch that times out, is lost or is redirected, leave its items unknown. An inner 4xx is
 * decided by sending that item on its own (a 4xx proves nothing was created), so that batching is never why
 * an operation fails.
 */
export async function sendBatch(context: SendContext, states: readonly ItemState[], firstTicket: WriteTicket): Promise<SendReport> {
  const { clock, pacer } = context;
  const ids = new Map(states.map((state, position) => [String(position + 1), state]));
  const body = batchEnvelope(
    [...ids].map(([id, state]) => ({
      id,
      url: operationsPath(context.apiVersion, state.item.registrationId).replace(/^\/[^/]+/, ''),
      clientRequestId: state.clientRequestId,
      body: state.item.body,
    })),
  );
  let unused: WriteTicket | undefined = firstTicket;
  let current: WriteTicket | undefined;
  let sentAt = 0;
  let answeredAt = 0;
  let lastAnswer: AttemptAnswer | undefined;
  const gate: AttemptGate = {
    beforeSend: async (attempt) => {
      if (attempt > 1 && context.stopStarting.aborted) throw new Error('Stopped before it could be sent again.');
      current = unused ?? (await pacer.acquire(states.length, AbortSignal.any([context.inFlight, context.stopStarting])));
      unused = undefined;
      sentAt = clock.now();
      context.noteSending(states, sentAt, 'batch');
      context.counters.httpRequests += 1;
    },
    afterAnswer: (_attempt, answer) => {
      answeredAt = clock.now();
      lastAnswer = answer;
      for (const state of states) state.lastAnsweredAt = answeredAt;
      if (answer.status === undefined || !current) return;
      context.latency.batch.observe(answeredAt - sentAt);
      context.skew.add(dateSample(answer.headers['date'], sentAt, answeredAt));
      if (isSafeToRepeatPost(answer.status)) {
        pacer.release(current, answeredAt, answer.status === 429 ? 0 : states.length);
        current = undefined;
        const retryAfter = parseRetryAfter(answer.headers['retry-after'], answeredAt);
        if (answer.status === 429) {
          context.counters.throttled += 1;
          pacer.throttled(retryAfter, answeredAt);
        } else if (retryAfter !== undefined) pacer.pause(answeredAt + retryAfter);
      }
    },
  };
  const request = {
    method: 'POST' as const,
    url: `${context.client.target.root}/${context.apiVersion}/$batch`,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body,
  };
  try {
    const exchange = await context.client.execute(request, { signal: context.inFlight, gate });
    const held = current;
    current = undefined;
    return judgeBatch(context, ids, exchange, sentAt, answeredAt || clock.now(), held);
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    const endedAt = clock.now();
    const verdicts = new Map<ItemState, SendVerdict>(
      states.map((state) => [
        state,
        {
          kind: 'done',
          result:
            lastAnswer?.status !== undefined
              ? resultAfterAnswerThenError(state, { ...lastAnswer, status: lastAnswer.status }, failure, endedAt, 'batch')
              : notSentResult(state, 'skipped', `Not sent: ${failure.message}`),
        },
      ]),
    );
    return { verdicts, stoppedBy: failure };
  } finally {
    if (unused) pacer.cancel(unused);
    if (current) pacer.release(current, clock.now());
  }
}

function judgeBatch(
  context: SendContext,
  ids: ReadonlyMap<string, ItemState>,
  exchange: Exchange,
  sentAt: number,
  answeredAt: number,
  held: WriteTicket | undefined,
): SendReport {
  const states = [...ids.values()];
  const all = (verdict: (state: ItemState) => SendVerdict): SendReport => ({ verdicts: new Map(states.map((state) => [state, verdict(state)])) });
  const unknownAll = (why: string): SendReport =>
    all((state) => ({
      kind: 'done',
      result: { ...batchParts(exchange), ...sentParts(state, answeredAt), outcome: 'unknown', reason: unknownReason(why) },
    }));
  const answers = exchange.outcome === 'succeeded' ? readBatchAnswers(exchange.bodyText) : undefined;
  const throttled = answers ? [...ids.keys()].filter((id) => answers.get(id)?.status === 429) : [];
  if (held) context.pacer.release(held, answeredAt, states.length - throttled.length);

  switch (exchange.outcome) {
    case 'cancelled':
      return all((state) => ({
        kind: 'done',
        result: {
          ...sentParts(state, answeredAt),
          outcome: state.attempts === 0 ? 'skipped' : 'cancelled',
          reason: exchange.reason ?? 'Stopped before it was sent.',
        },
      }));
    case 'unknown':
      return unknownAll(`The batch it was sent in has no known outcome: ${firstSentence(exchange.reason)}`);
    case 'failed': {
      const status = exchange.status ?? 0;
      if (isSafeToRepeatPost(status) || envelopeRefusedWhole(status, exchange.bodyText)) return { ...all(() => ({ kind: 'direct' })), batchingRefused: true };
      return unknownAll(`The batch was answered HTTP ${status}, which does not prove its requests were left alone.`);
    }
    case 'succeeded':
      break;
  }
  if (!answers) return unknownAll(`The batch was answered HTTP ${exchange.status} with a body that is not a batch answer.`);
  if (throttled.length > 0) {
    context.counters.throttled += throttled.length;
    const waits = throttled.map((id) => parseRetryAfter(answers.get(id)!.headers['retry-after'], answeredAt)).filter((ms): ms is number => ms !== undefined);
    context.pacer.throttled(waits.length ? Math.max(...waits) : undefined, answeredAt);
  }
  const verdicts = new Map<ItemState, SendVerdict>();
  for (const [id, state] of ids) verdicts.set(state, judgeInner(context, state, answers.get(id), exchange, sentAt, answeredAt));
  return { verdicts };
}

function judgeInner(
  context: SendContext,
  state: ItemState,
  answer: BatchAnswer | undefined,
  envelope: Exchange,
  sentAt: number,
  answeredAt: number,
): SendVerdict {
  const parts = { ...sentParts(state, answeredAt), via: 'batch' as const, ...(envelope.requestId ? { requestId: envelope.requestId } : {}) };
  if (!answer) return { kind: 'done', result: { ...parts, outcome: 'unknown', reason: unknownReason('The batch answer does not mention this request.') } };
  const { status } = answer;
  const requestId = answer.headers['request-id'];
  const common = { ...parts, status, ...(requestId ? { requestId } : {}), ...(answer.body !== undefined ? { responseBody: answer.body } : {}) };
  if (status >= 200 && status < 300) {
    const created = answer.body as { id?: unknown; lastModifiedDateTime?: unknown } | undefined;
    context.skew.add(operationSample(created?.lastModifiedDateTime, sentAt, answeredAt));
    return { kind: 'done', result: { ...common, outcome: 'created', ...(typeof created?.id === 'string' ? { operationId: created.id } : {}) } };
  }
  const error = decodeGraphError(status, answer.headers, answer.bodyText);
  if (isSafeToRepeatPost(status)) {
    const retryAfter = parseRetryAfter(answer.headers['retry-after'], answeredAt);
    if (state.attempts <= context.maxRetries) {
      if (retryAfter !== undefined) state.notBefore = answeredAt + retryAfter;
      if (status === 503 && retryAfter !== undefined) context.pacer.pause(answeredAt + retryAfter);
      return { kind: 'again' };
    }
    return {
      kind: 'done',
      result: {
        ...common,
        outcome: 'failed',
        error,
        reason: `HTTP ${status} after ${state.attempts} attempt(s); gave up (at most ${context.maxRetries} retries). Nothing was created.`,
      },
    };
  }
  if (status >= 400 && status < 500 && status !== 408) return { kind: 'direct' };
  return {
    kind: 'done',
    result: {
      ...common,
      outcome: 'unknown',
      error,
      reason: unknownReason(`HTTP ${status} inside the batch: Graph did not say whether the operation was created.`),
    },
  };
}

function batchParts(exchange: Exchange): { status?: number; requestId?: string; via: 'batch' } {
  return {
    via: 'batch',
    ...(exchange.status !== undefined ? { status: exchange.status } : {}),
    ...(exchange.requestId ? { requestId: exchange.requestId } : {}),
  };
}

function firstSentence(text: string | undefined): string {
  return (text ?? 'no answer.').split(/(?<=\.)\s/)[0]!;
}
