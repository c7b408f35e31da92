import type { RunItem, RunRecord } from './runRecord';

export type ExportFormat = 'csv' | 'ndjson';

/** The columns of an export, in this order (CSV headers; the NDJSON keys are the `key`s). */
export const exportColumns = [
  { header: 'file', key: 'file' },
  { header: 'registration', key: 'registrationId' },
  { header: 'outcome', key: 'outcome' },
  { header: 'status', key: 'status' },
  { header: 'operation id', key: 'operationId' },
  { header: 'request-id', key: 'requestId' },
  { header: 'client-request-id', key: 'clientRequestId' },
  { header: 'attempts', key: 'attempts' },
  { header: 'first sent', key: 'firstSentAt' },
  { header: 'error code', key: 'errorCode' },
  { header: 'message', key: 'message' },
] as const;

type Row = Record<(typeof exportColumns)[number]['key'], string | number | null>;

function rowOf(item: RunItem): Row {
  const result = item.result;
  return {
    file: item.file,
    registrationId: item.registrationId,
    outcome: result?.outcome ?? 'pending',
    status: result?.status ?? null,
    operationId: result?.operationId ?? null,
    requestId: result?.requestId ?? null,
    clientRequestId: result?.clientRequestId ?? null,
    attempts: result?.attempts ?? 0,
    firstSentAt: result?.firstSentAt !== undefined ? new Date(result.firstSentAt).toISOString() : null,
    errorCode: result?.error?.code ?? null,
    message: result && result.outcome !== 'created' ? (result.error?.message ?? result.reason ?? null) : null,
  };
}

/** A run's items, one row (or line) each, in the run's order. */
export function exportRun(run: RunRecord, format: ExportFormat): string {
  const rows = run.items.map(rowOf);
  if (format === 'ndjson') return rows.map((row) => JSON.stringify(row)).join('\n') + '\n';
  const lines = [
    exportColumns.map((column) => column.header).join(','),
    ...rows.map((row) => exportColumns.map((column) => csvCell(row[column.key])).join(',')),
  ];
  return lines.join('\r\n') + '\r\n';
}

/**
 * RFC 4180 quoting; a text that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first)
 * gets a leading apostrophe, since a message comes from the server.
 */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
