/**
 * Compiles a stream-map expression once into a closure tree: a record costs
 * one call per node, no parsing and no lookups by name at run time. There is
 * no eval, Function or vm anywhere: the closures can only do what the nodes
 * of expr-parse.ts describe, with the builtins of expr-builtins.ts.
 */
import { ATTRIBUTES, GLOBALS, attribute } from './expr-builtins.js';
import { ExprSyntaxError, parseExpression, type Node } from './expr-parse.js';
import { ExprError, PyFunction, binary, compare, isDict, slice, subscript, toJson, truthy, type Kwargs } from './expr-values.js';

export { ExprError } from './expr-values.js';
export { ExprSyntaxError } from './expr-parse.js';

/** What an expression sees besides the builtins. */
export interface Scope {
  record: Record<string, unknown>;
  /** The mapped property's value in the input record (the SDK's `self`). */
  self: unknown;
  /** `stream_map_config`. */
  config: Record<string, unknown>;
}

type Fn = (s: Scope) => unknown;

export interface CompiledExpression {
  readonly source: string;
  readonly ast: Node;
  /** Record field names the expression reads by bare name (for warnings about typos). */
  readonly fieldNames: ReadonlySet<string>;
  /** The value, as JSON a record can hold. */
  evaluate(scope: Scope): unknown;
  /** Python truthiness of the value (for `__filter__`). */
  test(scope: Scope): boolean;
}

const own = (rec: Record<string, unknown>, k: string): unknown => (Object.hasOwn(rec, k) ? rec[k] : null);

function compileNode(node: Node, fields: Set<string>): Fn {
  switch (node.t) {
    case 'lit': {
      const v = node.v;
      return () => v;
    }
    case 'name':
      return compileName(node.n, fields);
    case 'list': {
      const items = node.items.map((n) => compileNode(n, fields));
      return (s) => items.map((f) => f(s));
    }
    case 'dict': {
      const entries = node.entries.map(([k, v]) => [compileNode(k, fields), compileNode(v, fields)] as const);
      return (s) => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of entries) {
          const key = k(s);
          if (typeof key !== 'string') throw new ExprError('dict keys must be strings');
          // defineProperty: a "__proto__" key stays a key.
          Object.defineProperty(out, key, { value: v(s), enumerable: true, writable: true, configurable: true });
        }
        return out;
      };
    }
    case 'unary': {
      const a = compileNode(node.a, fields);
      if (node.op === 'not') return (s) => !truthy(a(s));
      const sign = node.op === '-' ? -1 : 1;
      return (s) => {
        const v = a(s);
        if (typeof v === 'number') return sign * v;
        if (typeof v === 'boolean') return sign * (v ? 1 : 0);
        throw new ExprError(`bad operand type for unary ${node.op}: '${v === null ? 'NoneType' : typeof v}'`);
      };
    }
    case 'bin': {
      const a = compileNode(node.a, fields);
      const b = compileNode(node.b, fields);
      const op = node.op;
      return (s) => binary(op, a(s), b(s));
    }
    case 'and': {
      const a = compileNode(node.a, fields);
      const b = compileNode(node.b, fields);
      return (s) => {
        const x = a(s);
        return truthy(x) ? b(s) : x;
      };
    }
    case 'or': {
      const a = compileNode(node.a, fields);
      const b = compileNode(node.b, fields);
      return (s) => {
        const x = a(s);
        return truthy(x) ? x : b(s);
      };
    }
    case 'cmp': {
      const first = compileNode(node.first, fields);
      const rest = node.rest.map((n) => compileNode(n, fields));
      const ops = node.ops;
      if (ops.length === 1) {
        const op = ops[0]!;
        const b = rest[0]!;
        return (s) => compare(op, first(s), b(s));
      }
      return (s) => {
        let left = first(s);
        for (let i = 0; i < ops.length; i++) {
          const right = rest[i]!(s);
          if (!compare(ops[i]!, left, right)) return false;
          left = right;
        }
        return true;
      };
    }
    case 'cond': {
      const test = compileNode(node.test, fields);
      const a = compileNode(node.a, fields);
      const b = compileNode(node.b, fields);
      return (s) => (truthy(test(s)) ? a(s) : b(s));
    }
    case 'attr': {
      const name = node.name;
      if (name.startsWith('_')) throw new ExprSyntaxError(`attribute "${name}" is not allowed`);
      if (!ATTRIBUTES.has(name)) throw new ExprSyntaxError(`unknown attribute "${name}"`);
      const obj = compileNode(node.obj, fields);
      return (s) => attribute(obj(s), name);
    }
    case 'index': {
      const obj = compileNode(node.obj, fields);
      const idx = compileNode(node.idx, fields);
      return (s) => subscript(obj(s), idx(s));
    }
    case 'slice': {
      const obj = compileNode(node.obj, fields);
      const none = (): unknown => null;
      const lo = node.lo ? compileNode(node.lo, fields) : none;
      const hi = node.hi ? compileNode(node.hi, fields) : none;
      const step = node.step ? compileNode(node.step, fields) : none;
      return (s) => slice(obj(s), lo(s), hi(s), step(s));
    }
    case 'call':
      return compileCall(node, fields);
  }
}

function compileName(n: string, fields: Set<string>): Fn {
  switch (n) {
    case 'record':
    case '_':
      return (s) => s.record;
    case 'self':
      return (s) => s.self;
    case 'config':
      return (s) => s.config;
  }
  if (n.startsWith('_')) throw new ExprSyntaxError(`name "${n}" is not allowed (names starting with "_" are reserved)`);
  if (GLOBALS.has(n)) {
    const v = GLOBALS.get(n);
    return () => v;
  }
  // Any other name is a field of the record; a missing one reads as None.
  fields.add(n);
  return (s) => own(s.record, n);
}

function compileCall(node: Extract<Node, { t: 'call' }>, fields: Set<string>): Fn {
  if (node.fn.t === 'name' && !GLOBALS.has(node.fn.n) && !['record', '_', 'self', 'config'].includes(node.fn.n)) {
    if (node.fn.n.startsWith('_')) throw new ExprSyntaxError(`name "${node.fn.n}" is not allowed (names starting with "_" are reserved)`);
    throw new ExprSyntaxError(`unknown function "${node.fn.n}" (available: ${[...GLOBALS.keys()].join(', ')})`);
  }
  const callee = compileNode(node.fn, fields);
  const args = node.args.map((a) => compileNode(a, fields));
  const kwargs = node.kwargs.map(([k, v]) => [k, compileNode(v, fields)] as const);
  return (s) => {
    const f = callee(s);
    // A method of None (null-safe attribute) is None: calling it gives None.
    if (f === null || f === undefined) return null;
    if (!(f instanceof PyFunction)) throw new ExprError(`'${isDict(f) ? 'dict' : typeof f}' object is not callable`);
    const kw: Kwargs = {};
    for (const [k, v] of kwargs) kw[k] = v(s);
    return f.call(args.map((a) => a(s)), kw);
  };
}

/** Parses and compiles; throws ExprSyntaxError for anything not allowed. */
export function compileExpression(source: string): CompiledExpression {
  const ast = parseExpression(source);
  const fields = new Set<string>();
  const run = compileNode(ast, fields);
  return {
    source,
    ast,
    fieldNames: fields,
    evaluate: (scope) => toJson(run(scope)),
    test: (scope) => truthy(run(scope)),
  };
}
