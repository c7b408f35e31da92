import { GraphTargetError, resolveGraphTarget, type GraphTarget } from '../../core/clouds';
import { formatProblem, newGuid } from '../../core/validation';
import { prepareOperation, prepareOperations, type PreparedOperation } from '../../core/sendOperation';
import { buildOperationRequest } from '../../core/operationRequest';
import { runJob } from '../../core/engine/runJob';
import { parseWriteLimit } from '../../core/engine/writeLimit';
import { systemClock } from '../../core/engine/engineClock';
import type { JobItem } from '../../core/engine/jobTypes';
import { settings as settingDefinitions } from '../../core/settings';
import { createGraphClient } from '../cliGraphClient';
import { connectionOptions, connectionSettings, parseCommandArgs, UsageError, type ConnectionSettings } from '../options';
import { readOperationFiles, stdinName, unreadableProblem } from '../readFiles';
import type { Terminal } from '../terminal';
import { describeRequest } from '../../core/describeHttp';
import { isContinuousIntegration } from '../signIn';
import { distinctFiles, readTargets } from '../sendTargets';
import { journalChoice, openJournal } from '../sendJournal';
import { ProgressLine } from '../progressLine';
import { printResult, printSummary, resultJson } from '../sendReport';

export const sendUsage =
  'intune-mao send <files…|-> [--registration <id>]… [--registrations <file|->] [--api-version beta|v1.0] [--cloud <name>] ' +
  '[--graph-url <loopback url>] [--client-id <app id>] [--tenant <tenant>] [--timeout <seconds>] [--max-retries <n>] ' +
  '[--write-limit <count>/<seconds>] [--batch | --no-batch] [--journal <path>] [--resume <path>] [--resend-unknown] [--dry-run] [--json] [--verbose]';

const sendOptions = {
  ...connectionOptions,
  registration: { type: 'string', multiple: true },
  registrations: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'write-limit': { type: 'string' },
  batch: { type: 'boolean' },
  'no-batch': { type: 'boolean' },
  journal: { type: 'string', multiple: true },
  resume: { type: 'string' },
  'resend-unknown': { type: 'boolean' },
} as const;

/** The exit code a signal asks for (128 + its number), when the run stopped because of one. */
const signalExitCodes: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

export async function sendCommand(
  args: string[],
  terminal: Terminal,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
  stdin?: NodeJS.ReadableStream,
  stopNow?: AbortSignal,
): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, sendOptions);
  if (values.help) {
    terminal.out(`usage: ${sendUsage}`);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('send needs at least one file');
  const settings = connectionSettings(values, env);
  const writeLimit = values['write-limit'] === undefined ? undefined : parseWriteLimit(values['write-limit']);
  if (values['write-limit'] !== undefined && !writeLimit) {
    const d = settingDefinitions.writeLimit;
    throw new UsageError(
      `--write-limit must be <count>/<seconds>, e.g. ${d.default}: ${d.minimumCount} to ${d.maximumCount} writes per ${d.minimumSeconds} to ${d.maximumSeconds} s`,
    );
  }
  if (values.batch && values['no-batch']) throw new UsageError('--batch and --no-batch contradict each other');
  const journal = journalChoice(values.journal, values.resume);
  if (values.registrations === stdinName && positionals.includes(stdinName)) throw new UsageError('standard input (-) can be named once only');
  const note = (text: string): void => terminal.err(terminal.style('dim', `note: ${text}`, 'err'));
  const targets = await readTargets(values.registration ?? [], values.registrations, stdin, note);
  if (values.registrations !== undefined && targets.length === 0) throw new UsageError(`--registrations ${values.registrations} names no registration`);
  let target: GraphTarget;
  try {
    target = resolveGraphTarget(settings.cloud, settings.graphUrl);
  } catch (error) {
    if (error instanceof GraphTargetError) throw new UsageError(error.message);
    throw error;
  }

  const { prepared, items } = await prepareItems(distinctFiles(positionals, note), targets, target, settings, stdin);
  if (prepared.some((p) => !p.request)) {
    reportNothingSent(prepared, terminal, settings.json);
    return 2;
  }
  const client = createGraphClient(settings, terminal, env, 'write', signal);
  if (values['dry-run']) {
    for (const item of items) {
      const request = buildOperationRequest({ text: item.body, registrationId: item.registrationId, apiVersion: settings.apiVersion, target });
      const shown = { ...request, headers: client.displayHeaders(request, newGuid()) };
      if (settings.json) terminal.json({ file: item.file, registrationId: item.registrationId, dryRun: true, request: shown });
      else {
        terminal.out(terminal.style('bold', `# ${item.file} → ${item.registrationId} (dry run: not sent)`));
        terminal.outBlock(describeRequest(shown));
        terminal.out();
      }
    }
    return 0;
  }

  const opened = journal ? openJournal(journal, items, target.root, settings.apiVersion, systemClock.now()) : undefined;
  const progress = new ProgressLine(terminal, terminal.errIsTerminal && !isContinuousIntegration(env));
  const settle = Number(env['INTUNE_MAO_SETTLE_MS']);
  try {
    const { results, summary } = await runJob(items, {
      client,
      apiVersion: settings.apiVersion,
      maxRetries: settings.maxRetries,
      signal,
      ...(stopNow ? { stopNow } : {}),
      ...(writeLimit ? { writeLimit } : {}),
      batching: values.batch === true || (values['no-batch'] !== true && settingDefinitions.batching.default),
      resendUnknown: values['resend-unknown'] === true,
      ...(settle >= 0 && env['INTUNE_MAO_SETTLE_MS'] ? { settleMs: settle } : {}),
      ...(opened ? { journal: opened.writer, ...(opened.resume ? { resume: opened.resume } : {}) } : {}),
      onProgress: (state) => progress.update(state),
      onResult: (result) => {
        progress.clear();
        if (settings.json) terminal.json(resultJson(result));
        else printResult(result, terminal, settings.verbose);
      },
    });
    progress.stop();
    if (results.length > 1 || summary.stopped) printSummary(summary, terminal, settings.json ? 'err' : 'out');
    if (results.some((r) => r.outcome === 'unknown')) return 3;
    if (summary.stopped) return signalExitCodes[String(signal.reason)] ?? 130;
    return results.every((r) => r.outcome === 'created') ? 0 : 1;
  } finally {
    progress.stop();
    opened?.writer.close();
  }
}

/**
 * Each file checked once; then one item per file and target: the targets given, else the file's own
 * `$registrationIds`, else its `$registrationId`.
 */
async function prepareItems(
  files: string[],
  targets: string[],
  target: GraphTarget,
  settings: ConnectionSettings,
  stdin?: NodeJS.ReadableStream,
): Promise<{ prepared: PreparedOperation[]; items: JobItem[] }> {
  const prepared: PreparedOperation[] = [];
  const items: JobItem[] = [];
  for (const read of await readOperationFiles(files, stdin)) {
    const { file } = read;
    if ('error' in read) {
      prepared.push({ file, problems: [unreadableProblem(read.error)] });
      continue;
    }
    const own =
      targets.length > 0
        ? [prepareOperation(file, read.text, { target }, settings.apiVersion, targets[0])]
        : prepareOperations(file, read.text, { target }, settings.apiVersion);
    prepared.push(...own);
    for (const checked of own) {
      if (!checked.request?.body || !checked.registrationId) continue;
      for (const registrationId of targets.length > 0 ? targets : [checked.registrationId.toLowerCase()]) {
        items.push({ key: `${file} → ${registrationId}`, file, registrationId, body: checked.request.body });
      }
    }
  }
  return { prepared, items };
}

function reportNothingSent(prepared: PreparedOperation[], terminal: Terminal, json: boolean): void {
  for (const p of prepared) {
    const invalid = !p.request;
    if (json) {
      terminal.json({
        file: p.file,
        registrationId: p.registrationId ?? null,
        ok: false,
        outcome: invalid ? 'invalid' : 'skipped',
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
