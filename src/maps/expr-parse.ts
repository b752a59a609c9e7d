/**
 * The stream-map expression language: the subset of Python expressions the
 * Meltano SDK's maps use (they are evaluated by simpleeval there), tokenized
 * and parsed here into a small AST. Nothing in it can define functions, assign,
 * import or loop: those forms have no syntax, so they cannot be written.
 */

export type Node =
  | { t: 'lit'; v: unknown }
  | { t: 'name'; n: string }
  | { t: 'list'; items: Node[] }
  | { t: 'dict'; entries: Array<[Node, Node]> }
  | { t: 'unary'; op: '-' | '+' | 'not'; a: Node }
  | { t: 'bin'; op: string; a: Node; b: Node }
  | { t: 'and' | 'or'; a: Node; b: Node }
  | { t: 'cmp'; first: Node; ops: string[]; rest: Node[] }
  | { t: 'cond'; test: Node; a: Node; b: Node }
  | { t: 'attr'; obj: Node; name: string }
  | { t: 'index'; obj: Node; idx: Node }
  | { t: 'slice'; obj: Node; lo: Node | undefined; hi: Node | undefined; step: Node | undefined }
  | { t: 'call'; fn: Node; args: Node[]; kwargs: Array<[string, Node]> };

export class ExprSyntaxError extends Error {}

interface Token {
  k: 'num' | 'str' | 'name' | 'op' | 'end';
  v: string | number;
  at: number;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'if', 'else', 'True', 'False', 'None']);
/** Longest first, so `**` wins over `*`. */
const OPERATORS = ['**', '//', '==', '!=', '<=', '>=', '<', '>', '=', '+', '-', '*', '/', '%', '(', ')', '[', ']', '{', '}', ',', ':', '.'];
const FORBIDDEN = new Set(['lambda', 'import', 'yield', 'await', 'def', 'class', 'del', 'global', 'nonlocal', 'for', 'while', 'exec', 'eval']);
/** Guards the recursive parser (and the compiled closures) against a stack overflow. */
const MAX_DEPTH = 64;
export const MAX_EXPRESSION_LENGTH = 4000;

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const at = i;
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(?:\d[\d_]*)?(?:\.\d*)?(?:[eE][+-]?\d+)?/.exec(src.slice(i))!;
      const text = m[0];
      if (/^[a-zA-Z_]/.test(src.slice(i + text.length))) throw new ExprSyntaxError(`bad number at column ${at + 1}`);
      out.push({ k: 'num', v: Number(text.replace(/_/g, '')), at });
      i += text.length;
      continue;
    }
    if (c === "'" || c === '"') {
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new ExprSyntaxError(`unterminated string starting at column ${at + 1}`);
        const d = src[i]!;
        if (d === c) break;
        if (d === '\\') {
          const e = src[i + 1];
          if (e === undefined) throw new ExprSyntaxError(`unterminated string starting at column ${at + 1}`);
          s += ESCAPES[e] ?? `\\${e}`;
          i += 2;
          continue;
        }
        s += d;
        i++;
      }
      i++;
      out.push({ k: 'str', v: s, at });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ k: 'name', v: m[0], at });
      i += m[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExprSyntaxError(`unexpected character ${JSON.stringify(c)} at column ${at + 1}`);
    out.push({ k: 'op', v: op, at });
    i += op.length;
  }
  out.push({ k: 'end', v: '', at: src.length });
  return out;
}

/** Binary operators by precedence (Python's order); `**` is handled apart (right-associative, above unary minus). */
const BINARY: Record<string, number> = { '+': 1, '-': 1, '*': 2, '/': 2, '//': 2, '%': 2 };
const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'is', 'is not']);

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly toks: Token[]) {}

  parse(): Node {
    const node = this.conditional();
    const t = this.peek();
    if (t.k !== 'end') throw this.error(t, `unexpected ${this.show(t)}`);
    return node;
  }

  private peek(offset = 0): Token {
    return this.toks[Math.min(this.pos + offset, this.toks.length - 1)]!;
  }

  private next(): Token {
    return this.toks[this.pos++]!;
  }

  private isOp(v: string, t = this.peek()): boolean {
    return t.k === 'op' && t.v === v;
  }

  private isWord(v: string, t = this.peek()): boolean {
    return t.k === 'name' && t.v === v;
  }

  private expectOp(v: string): void {
    const t = this.next();
    if (!this.isOp(v, t)) throw this.error(t, `expected "${v}" but found ${this.show(t)}`);
  }

  private show(t: Token): string {
    return t.k === 'end' ? 'the end of the expression' : `${JSON.stringify(String(t.v))} at column ${t.at + 1}`;
  }

  private error(_t: Token, message: string): ExprSyntaxError {
    return new ExprSyntaxError(message);
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw new ExprSyntaxError(`expression nested deeper than ${MAX_DEPTH} levels`);
  }

  /** `a if test else b`: lowest precedence. */
  private conditional(): Node {
    this.enter();
    const a = this.or();
    let node = a;
    if (this.isWord('if')) {
      this.next();
      const test = this.or();
      if (!this.isWord('else')) throw this.error(this.peek(), `expected "else" but found ${this.show(this.peek())}`);
      this.next();
      node = { t: 'cond', test, a, b: this.conditional() };
    }
    this.depth--;
    return node;
  }

  private or(): Node {
    let a = this.and();
    while (this.isWord('or')) {
      this.next();
      a = { t: 'or', a, b: this.and() };
    }
    return a;
  }

  private and(): Node {
    let a = this.not();
    while (this.isWord('and')) {
      this.next();
      a = { t: 'and', a, b: this.not() };
    }
    return a;
  }

  private not(): Node {
    if (this.isWord('not')) {
      this.next();
      this.enter();
      const a = this.not();
      this.depth--;
      return { t: 'unary', op: 'not', a };
    }
    return this.comparison();
  }

  /** Python chains comparisons: `a < b < c` is `a < b and b < c`. */
  private comparison(): Node {
    const first = this.binary(1);
    const ops: string[] = [];
    const rest: Node[] = [];
    for (;;) {
      const op = this.compareOp();
      if (!op) break;
      ops.push(op);
      rest.push(this.binary(1));
    }
    return ops.length ? { t: 'cmp', first, ops, rest } : first;
  }

  private compareOp(): string | undefined {
    const t = this.peek();
    if (t.k === 'op' && COMPARE.has(t.v as string)) return String(this.next().v);
    if (this.isWord('in')) return (this.next(), 'in');
    if (this.isWord('not') && this.isWord('in', this.peek(1))) return (this.pos += 2, 'not in');
    if (this.isWord('is')) {
      this.next();
      if (this.isWord('not')) return (this.next(), 'is not');
      return 'is';
    }
    return undefined;
  }

  /** Precedence climbing over the arithmetic operators. */
  private binary(min: number): Node {
    let a = this.unary();
    for (;;) {
      const t = this.peek();
      const prec = t.k === 'op' ? BINARY[t.v as string] : undefined;
      if (prec === undefined || prec < min) return a;
      this.next();
      this.enter();
      const b = this.binary(prec + 1);
      this.depth--;
      a = { t: 'bin', op: t.v as string, a, b };
    }
  }

  private unary(): Node {
    if (this.isOp('-') || this.isOp('+')) {
      const op = this.next().v as '-' | '+';
      this.enter();
      const a = this.unary();
      this.depth--;
      // Fold negative literals, so `-1` indexes like Python's.
      if (a.t === 'lit' && typeof a.v === 'number') return { t: 'lit', v: op === '-' ? -a.v : a.v };
      return { t: 'unary', op, a };
    }
    return this.power();
  }

  private power(): Node {
    const a = this.postfix();
    if (!this.isOp('**')) return a;
    this.next();
    this.enter();
    const b = this.unary();
    this.depth--;
    return { t: 'bin', op: '**', a, b };
  }

  private postfix(): Node {
    let node = this.atom();
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        const t = this.next();
        if (t.k !== 'name') throw this.error(t, `expected a name after "." but found ${this.show(t)}`);
        node = { t: 'attr', obj: node, name: t.v as string };
      } else if (this.isOp('(')) {
        this.next();
        node = this.call(node);
      } else if (this.isOp('[')) {
        this.next();
        node = this.subscript(node);
      } else {
        return node;
      }
    }
  }

  private call(fn: Node): Node {
    const args: Node[] = [];
    const kwargs: Array<[string, Node]> = [];
    while (!this.isOp(')')) {
      const t = this.peek();
      if (t.k === 'name' && this.isOp('=', this.peek(1))) {
        this.pos += 2;
        kwargs.push([t.v as string, this.conditional()]);
      } else {
        if (kwargs.length) throw this.error(t, 'a positional argument follows a keyword argument');
        args.push(this.conditional());
      }
      if (!this.isOp(',')) break;
      this.next();
    }
    this.expectOp(')');
    return { t: 'call', fn, args, kwargs };
  }

  private subscript(obj: Node): Node {
    let lo: Node | undefined;
    if (!this.isOp(':')) lo = this.conditional();
    if (!this.isOp(':')) {
      this.expectOp(']');
      if (!lo) throw new ExprSyntaxError('empty subscript []');
      return { t: 'index', obj, idx: lo };
    }
    this.next();
    let hi: Node | undefined;
    let step: Node | undefined;
    if (!this.isOp(']') && !this.isOp(':')) hi = this.conditional();
    if (this.isOp(':')) {
      this.next();
      if (!this.isOp(']')) step = this.conditional();
    }
    this.expectOp(']');
    return { t: 'slice', obj, lo, hi, step };
  }

  private atom(): Node {
    const t = this.next();
    switch (t.k) {
      case 'num':
        return { t: 'lit', v: t.v };
      case 'str': {
        // Adjacent string literals concatenate, as in Python.
        let s = t.v as string;
        while (this.peek().k === 'str') s += this.next().v as string;
        return { t: 'lit', v: s };
      }
      case 'name': {
        const n = t.v as string;
        if (n === 'True') return { t: 'lit', v: true };
        if (n === 'False') return { t: 'lit', v: false };
        if (n === 'None') return { t: 'lit', v: null };
        if (FORBIDDEN.has(n)) throw this.error(t, `"${n}" is not allowed in a stream map expression`);
        if (KEYWORDS.has(n)) throw this.error(t, `unexpected ${this.show(t)}`);
        return { t: 'name', n };
      }
      case 'op':
        if (t.v === '(') return this.parenthesised();
        if (t.v === '[') return this.listLiteral();
        if (t.v === '{') return this.dictLiteral();
        throw this.error(t, `unexpected ${this.show(t)}`);
      default:
        throw this.error(t, 'the expression ends too early');
    }
  }

  /** `(a)` groups; `(a, b)` and `()` are tuples, which behave as lists here. */
  private parenthesised(): Node {
    this.enter();
    if (this.isOp(')')) {
      this.next();
      this.depth--;
      return { t: 'list', items: [] };
    }
    const first = this.conditional();
    if (this.isOp(')')) {
      this.next();
      this.depth--;
      return first;
    }
    const items = [first];
    while (this.isOp(',')) {
      this.next();
      if (this.isOp(')')) break;
      items.push(this.conditional());
    }
    this.expectOp(')');
    this.depth--;
    return { t: 'list', items };
  }

  private listLiteral(): Node {
    this.enter();
    const items: Node[] = [];
    while (!this.isOp(']')) {
      items.push(this.conditional());
      if (!this.isOp(',')) break;
      this.next();
    }
    this.expectOp(']');
    this.depth--;
    return { t: 'list', items };
  }

  private dictLiteral(): Node {
    this.enter();
    const entries: Array<[Node, Node]> = [];
    while (!this.isOp('}')) {
      const k = this.conditional();
      this.expectOp(':');
      entries.push([k, this.conditional()]);
      if (!this.isOp(',')) break;
      this.next();
    }
    this.expectOp('}');
    this.depth--;
    return { t: 'dict', entries };
  }
}

/** Parses one expression; throws ExprSyntaxError with a message fit for a config error. */
export function parseExpression(src: string): Node {
  if (src.length > MAX_EXPRESSION_LENGTH) throw new ExprSyntaxError(`longer than ${MAX_EXPRESSION_LENGTH} characters`);
  if (src.trim() === '') throw new ExprSyntaxError('empty expression');
  return new Parser(tokenize(src)).parse();
}
