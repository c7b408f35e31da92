import type { AttemptAnswer, AttemptGate } from '../graphClient';
import { buildOperationRequest } from '../operationRequest';
import { parseRetryAfter } from '../retryPolicy';
import { dateSample, operationSample } from './clockSkew';
import { notSentResult, resultAfterAnswerThenError, resultOfExchange } from './itemResults';
import type { ItemState, SendContext, SendReport } from './sendContext';
import type { WriteTicket } from './writePacer';

/**
 * Sends one item on its own through the Graph client, which repeats it only after 429/503. Every attempt
 * goes through the pacer; the first uses the slot the dispatcher already holds.
 */
export async function sendDirect(context: SendContext, state: ItemState, firstTicket: WriteTicket): Promise<SendReport> {
  const { clock, pacer } = context;
  let unused: WriteTicket | undefined = firstTicket;
  let current: WriteTicket | undefined;
  let sentAt = 0;
  let lastAnswer: AttemptAnswer | undefined;
  const gate: AttemptGate = {
    beforeSend: async (attempt) => {
      if (attempt > 1 && context.stopStarting.aborted) throw new Error('Stopped before it could be sent again.');
      current = unused ?? (await pacer.acquire(1, AbortSignal.any([context.inFlight, context.stopStarting])));
      unused = undefined;
      sentAt = clock.now();
      context.noteSending([state], sentAt, 'direct');
      context.counters.httpRequests += 1;
    },
    afterAnswer: (_attempt, answer) => {
      const at = clock.now();
      lastAnswer = answer;
      state.lastAnsweredAt = at;
      if (current) pacer.release(current, at, answer.status === 429 ? 0 : 1);
      current = undefined;
      if (answer.status === undefined) return;
      context.latency.direct.observe(at - sentAt);
      context.skew.add(dateSample(answer.headers['date'], sentAt, at));
      const retryAfter = parseRetryAfter(answer.headers['retry-after'], at);
      if (answer.status === 429) {
        context.counters.throttled += 1;
        pacer.throttled(retryAfter, at);
      } else if (answer.status === 503 && retryAfter !== undefined) {
        pacer.pause(at + retryAfter);
      }
    },
  };
  const request = buildOperationRequest({
    text: state.item.body,
    registrationId: state.item.registrationId,
    apiVersion: context.apiVersion,
    target: context.client.target,
  });
  try {
    const exchange = await context.client.execute(request, { signal: context.inFlight, clientRequestId: state.clientRequestId, gate });
    const endedAt = clock.now();
    if (exchange.outcome === 'succeeded') {
      context.skew.add(
        operationSample((exchange.json as { lastModifiedDateTime?: unknown } | undefined)?.lastModifiedDateTime, sentAt, state.lastAnsweredAt ?? endedAt),
      );
    }
    return { verdicts: new Map([[state, { kind: 'done', result: resultOfExchange(state, exchange, endedAt) }]]) };
  } catch (error) {
    const endedAt = clock.now();
    const failure = error instanceof Error ? error : new Error(String(error));
    const result =
      lastAnswer?.status !== undefined
        ? resultAfterAnswerThenError(state, { ...lastAnswer, status: lastAnswer.status }, failure, endedAt, 'direct')
        : notSentResult(state, 'skipped', `Not sent: ${failure.message}`);
    return { verdicts: new Map([[state, { kind: 'done', result }]]), stoppedBy: failure };
  } finally {
    if (unused) pacer.cancel(unused);
    if (current) pacer.release(current, clock.now());
  }
}
