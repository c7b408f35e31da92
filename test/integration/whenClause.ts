// A small evaluator for VS Code when-clauses, enough for the ones in package.json: context keys, string and
// boolean literals, !, &&, ||, ==, !=, =~ /regex/flags and parentheses. Anything else, an unknown context
// key or an invalid regular expression throws, so a broken clause fails the test instead of being skipped.
export type ContextValue = string | boolean | number | undefined;
export type Context = Readonly<Record<string, ContextValue>>;

type Token =
  | { kind: 'op'; value: '!' | '&&' | '||' | '==' | '!=' | '=~' | '(' | ')' }
  | { kind: 'regex'; value: RegExp }
  | { kind: 'word'; value: string }
  | { kind: 'string'; value: string };

export function tokenize(clause: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < clause.length) {
    const ch = clause[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const two = clause.slice(i, i + 2);
    if (two === '&&' || two === '||' || two === '==' || two === '!=' || two === '=~') {
      tokens.push({ kind: 'op', value: two });
      i += 2;
      if (two === '=~') {
        while (/\s/.test(clause[i] ?? '')) i++;
        if (clause[i] !== '/') throw new Error(`"=~" must be followed by a /regex/ in: ${clause}`);
        let j = i + 1;
        let body = '';
        for (; j < clause.length && clause[j] !== '/'; j++) {
          if (clause[j] === '\\' && j + 1 < clause.length) {
            body += clause[j]! + clause[j + 1]!;
            j++;
          } else body += clause[j]!;
        }
        if (j >= clause.length) throw new Error(`unterminated regular expression in: ${clause}`);
        let k = j + 1;
        while (/[a-z]/.test(clause[k] ?? '')) k++;
        tokens.push({ kind: 'regex', value: new RegExp(body, clause.slice(j + 1, k)) });
        i = k;
      }
      continue;
    }
    if (ch === '!' || ch === '(' || ch === ')') {
      tokens.push({ kind: 'op', value: ch });
      i++;
      continue;
    }
    if (ch === "'") {
      const end = clause.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated string in: ${clause}`);
      tokens.push({ kind: 'string', value: clause.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const word = /^[A-Za-z_][\w.:-]*/.exec(clause.slice(i))?.[0];
    if (!word) throw new Error(`unexpected "${ch}" at ${i} in: ${clause}`);
    tokens.push({ kind: 'word', value: word });
    i += word.length;
  }
  return tokens;
}

export function evaluateWhen(clause: string, context: Context): boolean {
  const tokens = tokenize(clause);
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const isOp = (value: string): boolean => {
    const t = peek();
    return t?.kind === 'op' && t.value === value;
  };
  const fail = (what: string): never => {
    throw new Error(`${what} at token ${position} in: ${clause}`);
  };

  const value = (token: Token | undefined): ContextValue => {
    if (!token) return fail('expected a value');
    if (token.kind === 'string') return token.value;
    if (token.kind === 'word') {
      if (token.value === 'true') return true;
      if (token.value === 'false') return false;
      if (!(token.value in context)) return fail(`unknown context key "${token.value}" (not modelled by the test)`);
      return context[token.value];
    }
    return fail('expected a value');
  };
  const primary = (): boolean => {
    if (isOp('!')) {
      position++;
      return !primary();
    }
    if (isOp('(')) {
      position++;
      const inner = or();
      if (!isOp(')')) fail('expected ")"');
      position++;
      return inner;
    }
    const left = tokens[position++];
    if (left?.kind !== 'word') return fail('expected a context key');
    const leftValue = value(left);
    if (isOp('==') || isOp('!=')) {
      const negate = isOp('!=');
      position++;
      const right = tokens[position++];
      const rightValue = right?.kind === 'word' && !(right.value in context) && right.value !== 'true' && right.value !== 'false' ? right.value : value(right);
      return (String(leftValue) === String(rightValue)) !== negate;
    }
    if (isOp('=~')) {
      position++;
      const regex = tokens[position++];
      if (regex?.kind !== 'regex') return fail('expected a regular expression');
      return typeof leftValue === 'string' && regex.value.test(leftValue);
    }
    return !!leftValue;
  };
  const and = (): boolean => {
    let result = primary();
    while (isOp('&&')) {
      position++;
      const right = primary();
      result = result && right;
    }
    return result;
  };
  const or = (): boolean => {
    let result = and();
    while (isOp('||')) {
      position++;
      const right = and();
      result = result || right;
    }
    return result;
  };
  const result = or();
  if (position !== tokens.length) fail('unexpected trailing tokens');
  return result;
}
