import { formatProblem, type Problem, validateOperationText } from '../../core/validation';
import { parseCommandArgs, UsageError } from '../options';
import { readOperationFiles, unreadableProblem } from '../readFiles';
import type { Terminal } from '../terminal';

export const validateUsage = 'intune-mao validate <files…|-> [--json]';

export async function validateCommand(args: string[], terminal: Terminal, stdin?: NodeJS.ReadableStream): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    terminal.out(`usage: ${validateUsage}`);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('validate needs at least one file');
  let allValid = true;
  for (const read of await readOperationFiles(positionals, stdin)) {
    const { file } = read;
    const problems: Problem[] = 'error' in read ? [unreadableProblem(read.error)] : validateOperationText(read.text).problems;
    const valid = !problems.some((p) => p.severity === 'error');
    allValid &&= valid;
    if (values.json) {
      terminal.json({ file, valid, problems: problems.map(({ line, column, pointer, severity, message }) => ({ line, column, pointer, severity, message })) });
      continue;
    }
    terminal.out(`${valid ? terminal.style('green', '✔') : terminal.style('red', '✖')} ${file}${valid ? ' is valid' : ''}`);
    for (const problem of problems) {
      terminal.out('  ' + terminal.style(problem.severity === 'error' ? 'red' : 'yellow', formatProblem(file, problem)));
    }
  }
  return allValid ? 0 : 2;
}
