import assert from 'node:assert/strict';
import { inert, Terminal } from '../../src/cli/terminal';

function fakeTerminal(env: NodeJS.ProcessEnv = {}, isTTY = true): { terminal: Terminal; stdout: () => string; stderr: () => string } {
  const written = { out: '', err: '' };
  const stream = (which: 'out' | 'err') =>
    ({
      isTTY,
      write: (text: string) => {
        written[which] += text;
        return true;
      },
    }) as unknown as NodeJS.WritableStream & { isTTY: boolean };
  const terminal = new Terminal({ stdout: stream('out'), stderr: stream('err'), env });
  return { terminal, stdout: () => written.out, stderr: () => written.err };
}

describe('Terminal', () => {
  it('writes every active character out as an escape, tab aside', () => {
    assert.equal(inert('a\u001b[2Jb\u0007c\td\re\nf\u007f\u009bg\u2028h\u202ei'), 'a\\x1b[2Jb\\x07c\td\\re\\nf\\x7f\\x9bg\\u2028h\\u202ei');
    assert.equal(inert('plain ✔ text'), 'plain ✔ text');
  });

  it('colours only through style(), after making the text inert, on a colour terminal', () => {
    const { terminal, stdout, stderr } = fakeTerminal();
    terminal.out(terminal.style('red', 'failed \u001b[32mgreen?'));
    terminal.err(terminal.style('dim', 'note', 'err'));
    assert.equal(stdout(), '\u001b[31mfailed \\x1b[32mgreen?\u001b[39m\n');
    assert.equal(stderr(), '\u001b[2mnote\u001b[22m\n');
  });

  it('drops the markers without colour, and text cannot forge one', () => {
    for (const env of [{ NO_COLOR: '1' }, { TERM: 'dumb' }]) {
      const { terminal, stdout } = fakeTerminal(env);
      terminal.out(terminal.style('bold', 'x'));
      assert.equal(stdout(), 'x\n');
    }
    const { terminal, stdout } = fakeTerminal({}, true);
    const lookalike = '\ue000\ue001\ue002\ue003\ue004\ue005red+';
    terminal.out(lookalike);
    assert.equal(stdout(), `${lookalike}\n`);
  });

  it('obeys line breaks only in blocks; out() shows them', () => {
    const { terminal, stdout } = fakeTerminal({ NO_COLOR: '1' });
    terminal.out('one\ntwo');
    terminal.outBlock('POST x\r\nheader: v\n\nbody\r\u001b');
    assert.equal(stdout(), 'one\\ntwo\nPOST x\nheader: v\n\nbody\\r\\x1b\n');
  });

  it('escapes C1 controls, U+2028/9 and bidirectional controls in JSON lines, keeping the value', () => {
    const { terminal, stdout } = fakeTerminal();
    const value = { text: 'a\u0085b\u2028c\u2029d\u202ee\u007f\u001b' };
    terminal.json(value);
    assert.equal(stdout(), '{"text":"a\\u0085b\\u2028c\\u2029d\\u202ee\\u007f\\u001b"}\n');
    assert.deepEqual(JSON.parse(stdout()), value);
  });

  it('removes secrets before anything else', () => {
    const { terminal, stdout } = fakeTerminal({ NO_COLOR: '1' });
    terminal.redactor.addSecret('s3cret-token-value');
    terminal.out('token s3cret-token-value\u001b');
    terminal.json({ token: 's3cret-token-value' });
    assert.equal(stdout(), 'token [redacted]\\x1b\n{"token":"[redacted]"}\n');
  });
});
