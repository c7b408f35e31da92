import { GraphTargetError, resolveGraphTarget } from '../../core/clouds';
import type { Exchange } from '../../core/graphClient';
import { formatProblem, isGuid, newGuid } from '../../core/validation';
import { prepareOperations, sendPreparedOperation, type OperationResult, type PreparedOperation } from '../../core/sendOperation';
import { isIntuneFailure } from '../../core/failures';
import { createGraphClient } from '../graphConnection';
import { connectionOptions, connectionSettings, parseCommandArgs, UsageError } from '../options';
import { readOperationFiles, unreadableProblem } from '../readFiles';
import type { Terminal } from '../terminal';
import { formatResponse, resultSummary } from '../describeExchange';
import { describeRequest } from '../../core/describeHttp';

export const sendUsage = 'intune-mao send <files…|-> [--registration <id>] [--api-version beta|v1.0] [--cloud <name>] ' +
  '[--graph-url <loopback url>] [--client-id <app id>] [--tenant <tenant>] [--timeout <seconds>] [--max-retries <n>] [--dry-run] [--json] [--verbose]';

export async function sendCommand(args: string[], terminal: Terminal, env: NodeJS.ProcessEnv, signal: AbortSignal, stdin?: NodeJS.ReadableStream): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    ...connectionOptions, registration: { type: 'string' }, 'dry-run': { type: 'boolean' },
  });
  if (values.help) { terminal.out(`usage: ${sendUsage}`); return 0; }
  if (positionals.length === 0) throw new UsageError('send needs at least one file');
  const settings = connectionSettings(values, env);
  if (values.registration !== undefined && !isGuid(values.registration)) {
    throw new UsageError(`--registration must be a GUID, not ${JSON.stringify(String(values.registration).slice(0, 80))}`);
  }
  let target;
  try {
    target = resolveGraphTarget(settings.cloud, settings.graphUrl);
  } catch (error) {
    if (error instanceof GraphTargetError) throw new UsageError(error.message);
    throw error;
  }

  const prepared: PreparedOperation[] = [];
  for (const read of await readOperationFiles(positionals, stdin)) {
    const { file } = read;
    if ('error' in read) prepared.push({ file, problems: [unreadableProblem(read.error)] });
    else prepared.push(...prepareOperations(file, read.text, { target }, settings.apiVersion, values.registration));
  }
  if (prepared.some((p) => !p.request)) {
    reportNothingSent(prepared, terminal, settings.json);
    return 2;
  }

  const client = createGraphClient(settings, terminal, env, 'write', signal);
  if (values['dry-run']) {
    for (const p of prepared) {
      const request = { ...p.request!, headers: client.displayHeaders(p.request!, newGuid()) };
      if (settings.json) {
        terminal.json({ file: p.file, registrationId: p.registrationId, dryRun: true, request });
      } else {
        terminal.out(terminal.style('bold', `# ${p.file} (dry run: not sent)`));
        terminal.outBlock(describeRequest(request));
        terminal.out();
      }
    }
    return 0;
  }

  const results: OperationResult[] = [];
  for (const p of prepared) {
    let result: OperationResult;
    if (signal.aborted) {
      result = { file: p.file, problems: p.problems, outcome: 'skipped', ...(p.registrationId ? { registrationId: p.registrationId } : {}), message: 'Cancelled before this file was sent.' };
    } else {
      try {
        result = await sendPreparedOperation(client, p, { signal });
      } catch (error) {
        if (isIntuneFailure(error) && error.kind !== 'graph' && results.length === 0) throw error;
        result = { file: p.file, problems: p.problems, outcome: 'skipped', ...(p.registrationId ? { registrationId: p.registrationId } : {}), message: (error as Error).message };
      }
    }
    results.push(result);
    report(result, terminal, settings.json, settings.verbose);
  }
  if (!settings.json && results.length > 1) {
    const count = (o: string): number => results.filter((r) => r.outcome === o).length;
    terminal.out(`${count('created')} created, ${count('failed')} failed, ${count('unknown')} unknown, ${count('skipped')} skipped`);
  }
  if (results.some((r) => r.outcome === 'unknown')) return 3;
  return results.every((r) => r.outcome === 'created') ? 0 : 1;
}

function reportNothingSent(prepared: PreparedOperation[], terminal: Terminal, json: boolean): void {
  for (const p of prepared) {
    const invalid = !p.request;
    if (json) {
      terminal.json({
        file: p.file, registrationId: p.registrationId ?? null, ok: false, outcome: invalid ? 'invalid' : 'skipped',
        problems: p.problems.map(({ line, column, pointer, severity, message }) => ({ line, column, pointer, severity, message })),
      });
      continue;
    }
    if (invalid) {
      terminal.out(`${terminal.style('red', '✖ invalid')}  ${p.file}`);
      for (const problem of p.problems) terminal.out('    ' + formatProblem(p.file, problem));
    }
  }
  if (!json) terminal.out(terminal.style('red', 'Nothing was sent: fix the problems above first (every file is checked before any is sent).'));
}

function report(result: OperationResult, terminal: Terminal, json: boolean, verbose: boolean): void {
  const exchange = result.exchange;
  if (json) {
    terminal.json(resultJson(result));
    return;
  }
  // The dump is for the person watching; standard output stays the summary a pipe can read.
  if (verbose && exchange) {
    terminal.errBlock(terminal.style('dim', describeRequest(exchange.request)));
    if (exchange.status !== undefined) terminal.errBlock(terminal.style('dim', formatResponse(exchange)));
  }
  for (const line of resultSummary(result, terminal)) terminal.out(line);
}

function resultJson(result: OperationResult): Record<string, unknown> {
  const exchange: Exchange | undefined = result.exchange;
  const error = exchange?.error;
  const failed = result.outcome !== 'created';
  return {
    file: result.file,
    registrationId: result.registrationId ?? null,
    ok: !failed,
    outcome: result.outcome,
    status: exchange?.status ?? null,
    requestId: exchange?.requestId ?? null,
    clientRequestId: exchange?.clientRequestId ?? null,
    attempts: exchange?.attempts ?? 0,
    durationMs: exchange?.durationMs ?? 0,
    body: exchange ? (exchange.json ?? (exchange.bodyText || null)) : null,
    ...(failed ? {
      error: {
        code: error?.code ?? null,
        message: exchange?.reason ?? error?.message ?? result.message ?? null,
        innerMessage: error?.innerMessage ?? null,
        activityId: error?.activityId ?? null,
      },
    } : {}),
  };
}
