import { buildGetRequest, operationsPath, registrationsPath } from '../../core/operationRequest';
import { isGuid } from '../../core/validation';
import { appIdentifierOf, flagsOf, platformOf } from '../../core/registrationFields';
import { createGraphClient } from '../cliGraphClient';
import { connectionOptions, connectionSettings, parseCommandArgs, UsageError, type ConnectionSettings } from '../options';
import { inert, type Terminal } from '../terminal';
import { EndlessPagingError, type GraphClient, type Exchange } from '../../core/graphClient';

export const registrationsUsage =
  'intune-mao registrations [--filter <text>] [--json] [--api-version …] [--cloud …] [--graph-url …] [--client-id …] [--tenant …]';
export const operationsUsage = 'intune-mao operations <registrationId> [--json] [--api-version …] [--cloud …] [--graph-url …] [--client-id …] [--tenant …]';

type Item = Record<string, unknown>;

export async function registrationsCommand(args: string[], terminal: Terminal, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { ...connectionOptions, filter: { type: 'string' } });
  if (values.help) {
    terminal.out(`usage: ${registrationsUsage}`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`registrations takes no file or id (got ${positionals[0]})`);
  const settings = connectionSettings(values, env);
  const client = createGraphClient(settings, terminal, env, 'read', signal);
  const filter = values.filter?.toLowerCase();
  const matches = (item: Item): boolean => !filter || registrationSearchText(item).includes(filter);
  return listAndPrint(client, settings, terminal, registrationsPath(settings.apiVersion), signal, matches, registrationRow, [
    'ID',
    'PLATFORM',
    'APP',
    'VERSION',
    'DEVICE',
    'OS',
    'USER',
    'LAST SYNC',
    'FLAGS',
  ]);
}

export async function operationsCommand(args: string[], terminal: Terminal, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, connectionOptions);
  if (values.help) {
    terminal.out(`usage: ${operationsUsage}`);
    return 0;
  }
  const [registrationId, extra] = positionals;
  if (!registrationId || extra) throw new UsageError('operations takes exactly one registration id');
  if (!isGuid(registrationId)) throw new UsageError(`The registration id ${JSON.stringify(String(registrationId).slice(0, 80))} is not a GUID`);
  const settings = connectionSettings(values, env);
  const client = createGraphClient(settings, terminal, env, 'read', signal);
  return listAndPrint(
    client,
    settings,
    terminal,
    operationsPath(settings.apiVersion, registrationId),
    signal,
    () => true,
    (op) => [text(op['id']), text(op['displayName']), text(op['state']), text(op['version']), text(op['lastModifiedDateTime'])],
    ['ID', 'NAME', 'STATE', 'VERSION', 'LAST MODIFIED'],
  );
}

async function listAndPrint(
  client: GraphClient,
  settings: ConnectionSettings,
  terminal: Terminal,
  path: string,
  signal: AbortSignal,
  matches: (item: Item) => boolean,
  row: (item: Item) => string[],
  header: string[],
): Promise<number> {
  const rows: string[][] = [];
  let listed: { items: Item[]; exchange: Exchange };
  try {
    listed = await client.listAll<Item>(
      buildGetRequest(client.target, path),
      (page) => {
        for (const item of page.filter(matches)) {
          if (settings.json) terminal.json(item);
          else rows.push(row(item));
        }
      },
      { signal },
    );
  } catch (error) {
    if (!(error instanceof EndlessPagingError)) throw error;
    terminal.err(terminal.style('red', `✖ ${error.message}`, 'err'));
    return 1;
  }
  const { items, exchange } = listed;
  if (exchange.outcome !== 'succeeded') {
    const error = exchange.error;
    terminal.err(terminal.style('red', `✖ ${error?.message ?? exchange.reason ?? 'The list could not be read'}`, 'err'));
    const details = [
      error?.code && `code ${error.code}`,
      error?.activityId && `activity id ${error.activityId}`,
      exchange.requestId && `request-id ${exchange.requestId}`,
      `client-request-id ${exchange.clientRequestId}`,
    ].filter(Boolean);
    terminal.err(`  ${details.join(' · ')}`);
    return 1;
  }
  if (!settings.json) {
    for (const line of table([header, ...rows])) terminal.out(line);
    const shown = rows.length === items.length ? `${items.length}` : `${rows.length} of ${items.length}`;
    terminal.out(terminal.style('dim', `${shown} shown`));
  }
  return 0;
}

export function registrationSearchText(item: Item): string {
  return [
    item['id'],
    platformOf(item),
    appIdentifierOf(item),
    item['deviceName'],
    item['userId'],
    item['deviceModel'],
    item['deviceManufacturer'],
    item['applicationVersion'],
    item['platformVersion'],
  ]
    .filter((v) => typeof v === 'string')
    .join(' ')
    .toLowerCase();
}

function registrationRow(item: Item): string[] {
  return [
    text(item['id']),
    platformOf(item) ?? '',
    appIdentifierOf(item) ?? '',
    text(item['applicationVersion']),
    text(item['deviceName']),
    text(item['platformVersion']),
    text(item['userId']),
    text(item['lastSyncDateTime']).slice(0, 19),
    flagsOf(item).join(','),
  ];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value == null ? '' : String(value);
}

/** Lines of aligned columns; cells are measured as the terminal will show them. */
function table(rows: string[][]): string[] {
  const cells = rows.map((r) => r.map(inert));
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((r) => (r[column] ?? '').length)));
  return cells.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
}
