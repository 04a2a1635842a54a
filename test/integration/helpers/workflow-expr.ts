/**
 * The subset of GitHub Actions expressions the example workflows use, evaluated as the runner does (docs.github.com,
 * "Evaluate expressions in workflows and actions"): literals (`null`, `true`, `false`, numbers, `'strings'` with `''`
 * for a quote), context paths (`inputs.x`, `secrets.X`, `vars.X`, `env.X`, `github.<field>`, `steps.<id>.outputs.<name>`,
 * `steps.<id>.outcome`, `needs.<job>.outputs.<name>`, `needs.<job>.result`; `a['b']` too), `!`, `==`, `!=`, `<`, `<=`, `>`,
 * `>=`, `&&`, `||` (which yield an operand, not a boolean: `a && b || c` is the usual "ternary"), parentheses, and the
 * functions `format()`, `success()`, `failure()`, `always()`, `cancelled()`. Comparisons follow GitHub's loose rules:
 * operands of different types are compared as numbers (null 0, booleans 1/0, strings parsed, '' 0), strings ignore
 * case, NaN equals nothing. Anything else — another function, an unknown context, a `github` field the run does not
 * define, a malformed expression — throws: a harness that guessed would let a broken example pass.
 */

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

/** What an expression reads: contexts by name, and the status functions of where it is evaluated. */
export interface ExprScope {
  contexts: Record<string, Value>;
  /** Contexts whose missing keys are an error rather than null (e.g. `github`: only the fields the harness sets). */
  strict?: readonly string[];
  status?: { success: () => boolean; failure: () => boolean; cancelled: () => boolean };
}

type Node =
  | { kind: 'literal'; value: Value }
  | { kind: 'path'; root: string; keys: (string | Node)[] }
  | { kind: 'not'; arg: Node }
  | { kind: 'binary'; op: string; left: Node; right: Node }
  | { kind: 'call'; name: string; args: Node[] };

type Token =
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'id'; v: string }
  | { t: 'op'; v: string }
  | { t: 'end' };

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', '[', ']', '.', ','];

/** Tokens of the expression starting at `from`, up to the end of `text` or (with `stopAtBraces`) a top-level `}}`. */
function tokenize(text: string, from: number, stopAtBraces: boolean): { tokens: Token[]; end: number } {
  const tokens: Token[] = [];
  let i = from;
  for (;;) {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
    if (i >= text.length) {
      if (stopAtBraces) throw new Error(`unterminated \${{ … }} in: ${text}`);
      return { tokens: [...tokens, { t: 'end' }], end: i };
    }
    if (stopAtBraces && text.startsWith('}}', i)) return { tokens: [...tokens, { t: 'end' }], end: i + 2 };
    const c = text[i] ?? '';
    if (c === "'") {
      let v = '';
      for (i++; ; i++) {
        if (i >= text.length) throw new Error(`unterminated string in: ${text}`);
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            v += "'";
            i++;
            continue;
          }
          i++;
          break;
        }
        v += text[i];
      }
      tokens.push({ t: 'str', v });
      continue;
    }
    const num = /^(?:0x[0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i));
    if (num) {
      tokens.push({ t: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i));
    if (id) {
      tokens.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    if (c === '*') throw new Error(`object filters (*) are not supported: ${text}`);
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op) throw new Error(`unexpected "${c}" at ${i} in: ${text}`);
    // A minus sign only as a number's sign.
    tokens.push({ t: 'op', v: op });
    i += op.length;
  }
}

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}
  private peek(): Token {
    return this.tokens[this.i] ?? { t: 'end' };
  }
  private next(): Token {
    return this.tokens[this.i++] ?? { t: 'end' };
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }
  private expect(v: string): void {
    const t = this.next();
    if (t.t !== 'op' || t.v !== v) throw new Error(`expected "${v}" in: ${this.source}`);
  }
  parseAll(): Node {
    const node = this.or();
    if (this.peek().t !== 'end') throw new Error(`unexpected ${JSON.stringify(this.peek())} in: ${this.source}`);
    return node;
  }
  private or(): Node {
    let left = this.and();
    while (this.isOp('||')) {
      this.next();
      left = { kind: 'binary', op: '||', left, right: this.and() };
    }
    return left;
  }
  private and(): Node {
    let left = this.cmp();
    while (this.isOp('&&')) {
      this.next();
      left = { kind: 'binary', op: '&&', left, right: this.cmp() };
    }
    return left;
  }
  private cmp(): Node {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.v)) {
        this.next();
        left = { kind: 'binary', op: t.v, left, right: this.unary() };
      } else return left;
    }
  }
  private unary(): Node {
    if (this.isOp('!')) {
      this.next();
      return { kind: 'not', arg: this.unary() };
    }
    return this.primary();
  }
  private primary(): Node {
    const t = this.next();
    if (t.t === 'num') return { kind: 'literal', value: t.v };
    if (t.t === 'str') return { kind: 'literal', value: t.v };
    if (t.t === 'op' && t.v === '(') {
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    if (t.t !== 'id') throw new Error(`unexpected ${t.t === 'end' ? 'end' : JSON.stringify(t)} in: ${this.source}`);
    if (t.v === 'true' || t.v === 'false') return { kind: 'literal', value: t.v === 'true' };
    if (t.v === 'null') return { kind: 'literal', value: null };
    if (this.isOp('(')) {
      this.next();
      const args: Node[] = [];
      if (!this.isOp(')')) {
        args.push(this.or());
        while (this.isOp(',')) {
          this.next();
          args.push(this.or());
        }
      }
      this.expect(')');
      return { kind: 'call', name: t.v, args };
    }
    const keys: (string | Node)[] = [];
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        const k = this.next();
        if (k.t !== 'id') throw new Error(`expected a property name after "." in: ${this.source}`);
        keys.push(k.v);
      } else if (this.isOp('[')) {
        this.next();
        keys.push(this.or());
        this.expect(']');
      } else return { kind: 'path', root: t.v, keys };
    }
  }
}

/** Parse one expression (the text between `${{` and `}}`). */
export function parseExpression(text: string): Node {
  return new Parser(tokenize(text, 0, false).tokens, text).parseAll();
}

export function truthy(v: Value): boolean {
  return !(v === null || v === false || v === 0 || v === '' || (typeof v === 'number' && Number.isNaN(v)));
}

function toNumber(v: Value): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v);
  return Number.NaN;
}

/** GitHub's loose comparison: -1, 0, 1, or NaN when the operands do not compare. */
function compare(a: Value, b: Value): number {
  if (typeof a === 'string' && typeof b === 'string') {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x === y ? 0 : x < y ? -1 : 1;
  }
  if (typeof a === 'object' && a !== null) return a === b ? 0 : Number.NaN;
  if (typeof b === 'object' && b !== null) return Number.NaN;
  const x = toNumber(a);
  const y = toNumber(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  return x === y ? 0 : x < y ? -1 : 1;
}

/** A value as text, the way `${{ }}` puts it into a string: null is empty, objects are JSON. */
export function toText(v: Value): string {
  if (v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v, null, 2);
  return String(v);
}

function format(fmt: Value, args: Value[]): string {
  const text = toText(fmt);
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' && text[i + 1] === '{') {
      out += '{';
      i++;
    } else if (c === '}' && text[i + 1] === '}') {
      out += '}';
      i++;
    } else if (c === '{') {
      const m = /^\{(\d+)\}/.exec(text.slice(i));
      if (!m) throw new Error(`format(): bad placeholder in "${text}"`);
      const n = Number(m[1]);
      if (n >= args.length) throw new Error(`format(): "${text}" has {${n}} but ${args.length} argument(s)`);
      out += toText(args[n] ?? null);
      i += m[0].length - 1;
    } else if (c === '}') throw new Error(`format(): a lone "}" in "${text}"`);
    else out += c;
  }
  return out;
}

const STATUS = ['success', 'failure', 'always', 'cancelled'];

function evaluate(node: Node, scope: ExprScope): Value {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'not':
      return !truthy(evaluate(node.arg, scope));
    case 'binary': {
      const left = evaluate(node.left, scope);
      if (node.op === '&&') return truthy(left) ? evaluate(node.right, scope) : left;
      if (node.op === '||') return truthy(left) ? left : evaluate(node.right, scope);
      const c = compare(left, evaluate(node.right, scope));
      switch (node.op) {
        case '==':
          return c === 0;
        case '!=':
          return c !== 0;
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        default:
          return c >= 0;
      }
    }
    case 'call': {
      if (STATUS.includes(node.name)) {
        if (node.args.length > 0) throw new Error(`${node.name}() takes no arguments`);
        if (node.name === 'always') return true;
        const status = scope.status;
        if (!status) throw new Error(`${node.name}() is only allowed in if:`);
        if (node.name === 'success') return status.success();
        if (node.name === 'failure') return status.failure();
        return status.cancelled();
      }
      if (node.name === 'format') {
        const [fmt, ...args] = node.args.map((a) => evaluate(a, scope));
        if (fmt === undefined) throw new Error('format() needs a format string');
        return format(fmt, args);
      }
      throw new Error(`the function ${node.name}() is not supported by this harness`);
    }
    case 'path': {
      if (!Object.hasOwn(scope.contexts, node.root))
        throw new Error(`the context "${node.root}" is not supported by this harness`);
      let v: Value = scope.contexts[node.root] ?? null;
      let where = node.root;
      for (const k of node.keys) {
        const key = typeof k === 'string' ? k : toText(evaluate(k, scope));
        if (v === null || typeof v !== 'object' || Array.isArray(v)) {
          v = null;
          continue;
        }
        const found = Object.keys(v).find((name) => name.toLowerCase() === key.toLowerCase());
        if (found === undefined && where === node.root && scope.strict?.includes(node.root))
          throw new Error(`${node.root}.${key} is not set by this harness`);
        v = found === undefined ? null : (v[found] ?? null);
        where = `${where}.${key}`;
      }
      return v;
    }
  }
}

/** Evaluate one expression. */
export function evaluateExpression(text: string, scope: ExprScope): Value {
  return evaluate(parseExpression(text), scope);
}

function usesStatus(node: Node): boolean {
  switch (node.kind) {
    case 'call':
      return STATUS.includes(node.name) || node.args.some(usesStatus);
    case 'not':
      return usesStatus(node.arg);
    case 'binary':
      return usesStatus(node.left) || usesStatus(node.right);
    case 'path':
      return node.keys.some((k) => typeof k !== 'string' && usesStatus(k));
    default:
      return false;
  }
}

/** Every `${{ … }}` of a text, with what surrounds them: [literal, expression, literal, …]. */
function splitTemplate(text: string): { literals: string[]; expressions: string[] } {
  const literals: string[] = [];
  const expressions: string[] = [];
  let i = 0;
  for (;;) {
    const at = text.indexOf('${{', i);
    if (at < 0) {
      literals.push(text.slice(i));
      return { literals, expressions };
    }
    literals.push(text.slice(i, at));
    const { end } = tokenize(text, at + 3, true);
    expressions.push(text.slice(at + 3, end - 2).trim());
    i = end;
  }
}

/** A text with every `${{ … }}` replaced by its value as text. */
export function interpolate(text: string, scope: ExprScope): string {
  const { literals, expressions } = splitTemplate(text);
  return literals
    .map((l, n) => l + (n < expressions.length ? toText(evaluateExpression(expressions[n] ?? '', scope)) : ''))
    .join('');
}

/**
 * A job's or step's `if:` as the runner reads it: the text is an expression with or without `${{ }}`, and one that
 * calls no status function is `success() && (…)`. Mixed text around `${{ }}` is refused (on GitHub it is a non-empty
 * string, always true: a classic mistake).
 */
export function evaluateCondition(condition: string | boolean | undefined, scope: ExprScope): boolean {
  if (condition === undefined) return scope.status?.success() ?? true;
  if (typeof condition === 'boolean') return (scope.status?.success() ?? true) && condition;
  let text = condition.trim();
  if (text.includes('${{')) {
    const { literals, expressions } = splitTemplate(text);
    if (expressions.length !== 1 || literals.some((l) => l.trim() !== ''))
      throw new Error(`if: mixes text and \${{ }} (always true on GitHub): ${condition}`);
    text = expressions[0] ?? '';
  }
  const node = parseExpression(text);
  const wrapped: Node = usesStatus(node)
    ? node
    : { kind: 'binary', op: '&&', left: { kind: 'call', name: 'success', args: [] }, right: node };
  return truthy(evaluate(wrapped, scope));
}
