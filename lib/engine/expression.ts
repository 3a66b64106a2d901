/**
 * The subset of CEL that Inngest users write in `if`, `match`, `cancelOn` and concurrency keys:
 * paths (`event.data.orgId`, `async.data["id"]`), string/number/boolean/null literals, `==`, `!=`,
 * `<`, `<=`, `>`, `>=`, `&&`, `||`, `!` and parentheses. It is parsed into a tree and interpreted,
 * never `eval`ed; anything else is rejected with the position of the offending token.
 *
 * Semantics follow CEL: a missing field or a type mismatch in an ordering comparison is an error,
 * `&&`/`||` absorb an error when the other side decides the result, and an expression that ends in
 * an error does not match.
 */

export class ExpressionError extends Error {
  constructor(
    readonly source: string,
    readonly position: number,
    detail: string,
  ) {
    super(`Unsupported expression ${JSON.stringify(source)} at position ${position}: ${detail}`);
    this.name = "ExpressionError";
  }
}

type Token =
  | { t: "str"; v: string; p: number }
  | { t: "num"; v: number; p: number }
  | { t: "id"; v: string; p: number }
  | { t: "op"; v: string; p: number }
  | { t: "end"; p: number };

type Node =
  | { k: "lit"; v: unknown }
  | { k: "path"; root: string; keys: (string | number)[] }
  | { k: "not"; e: Node }
  | { k: "bin"; op: string; l: Node; r: Node };

const OPERATORS = ["==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "(", ")", ".", "[", "]"];
const COMPARISONS = new Set(["==", "!=", "<", "<=", ">", ">="]);

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      const start = i;
      let v = "";
      i++;
      while (i < src.length && src[i] !== c) {
        if (src[i] === "\\") {
          const n = src[i + 1];
          const escapes: Record<string, string> = {
            n: "\n",
            t: "\t",
            r: "\r",
            "\\": "\\",
            "'": "'",
            '"': '"',
          };
          if (n === undefined || !(n in escapes))
            throw new ExpressionError(src, i, "unknown escape in string");
          v += escapes[n];
          i += 2;
        } else {
          v += src[i];
          i++;
        }
      }
      if (i >= src.length) throw new ExpressionError(src, start, "unterminated string");
      i++;
      out.push({ t: "str", v, p: start });
      continue;
    }
    const prev = out[out.length - 1];
    const after = src[i + 1] ?? "";
    // A minus is a sign only where an operand is expected (CEL arithmetic is not supported).
    const signPosition = !prev || (prev.t === "op" && prev.v !== ")" && prev.v !== "]");
    const startsNumber =
      /\d/.test(c) || (c === "." && /\d/.test(after)) || (c === "-" && signPosition && /[\d.]/.test(after));
    if (startsNumber) {
      const num = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i));
      if (!num) throw new ExpressionError(src, i, "malformed number");
      out.push({ t: "num", v: Number(num[0]), p: i });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      out.push({ t: "id", v: id[0], p: i });
      i += id[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExpressionError(src, i, `unexpected ${JSON.stringify(c)}`);
    out.push({ t: "op", v: op, p: i });
    i += op.length;
  }
  out.push({ t: "end", p: src.length });
  return out;
}

function parse(src: string, variables: readonly string[]): Node {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos] as Token;
  const next = () => tokens[pos++] as Token;
  const isOp = (v: string) => {
    const t = peek();
    return t.t === "op" && t.v === v;
  };
  const expect = (v: string) => {
    const t = next();
    if (t.t !== "op" || t.v !== v) throw new ExpressionError(src, t.p, `expected ${JSON.stringify(v)}`);
  };

  const tokenText = (t: Token) => (t.t === "end" ? "end of expression" : JSON.stringify(String(t.v)));

  function primary(): Node {
    const t = next();
    if (t.t === "str" || t.t === "num") return { k: "lit", v: t.v };
    if (t.t === "op" && t.v === "(") {
      const e = or();
      expect(")");
      return e;
    }
    if (t.t === "id") {
      if (t.v === "true" || t.v === "false") return { k: "lit", v: t.v === "true" };
      if (t.v === "null") return { k: "lit", v: null };
      if (isOp("(")) throw new ExpressionError(src, t.p, "function and macro calls are not supported");
      if (!variables.includes(t.v)) {
        throw new ExpressionError(
          src,
          t.p,
          `unknown name ${JSON.stringify(t.v)} (available here: ${variables.join(", ")})`,
        );
      }
      const keys: (string | number)[] = [];
      for (;;) {
        if (isOp(".")) {
          next();
          const key = next();
          if (key.t !== "id") throw new ExpressionError(src, key.p, "expected a field name after '.'");
          keys.push(key.v);
        } else if (isOp("[")) {
          next();
          const key = next();
          if (key.t !== "str" && key.t !== "num") {
            throw new ExpressionError(src, key.p, "only string or number literals are supported inside [ ]");
          }
          keys.push(key.v);
          expect("]");
        } else break;
      }
      if (isOp("(")) throw new ExpressionError(src, peek().p, "method calls are not supported");
      return { k: "path", root: t.v, keys };
    }
    throw new ExpressionError(src, t.p, `unexpected ${tokenText(t)}`);
  }

  function unary(): Node {
    if (isOp("!")) {
      next();
      return { k: "not", e: unary() };
    }
    return primary();
  }

  function comparison(): Node {
    const l = unary();
    const t = peek();
    if (t.t === "op" && COMPARISONS.has(t.v)) {
      next();
      const r = unary();
      const after = peek();
      if (after.t === "op" && COMPARISONS.has(after.v)) {
        throw new ExpressionError(src, after.p, "chained comparisons are not supported; use &&");
      }
      return { k: "bin", op: t.v, l, r };
    }
    return l;
  }

  function and(): Node {
    let l = comparison();
    while (isOp("&&")) {
      next();
      l = { k: "bin", op: "&&", l, r: comparison() };
    }
    return l;
  }

  function or(): Node {
    let l = and();
    while (isOp("||")) {
      next();
      l = { k: "bin", op: "||", l, r: and() };
    }
    return l;
  }

  const tree = or();
  const rest = peek();
  if (rest.t !== "end") throw new ExpressionError(src, rest.p, `unexpected ${tokenText(rest)}`);
  return tree;
}

const ERR = Symbol("expression error");
type Value = unknown | typeof ERR;

function lookup(value: unknown, keys: (string | number)[]): Value {
  let cur = value;
  for (const key of keys) {
    if (cur === null || typeof cur !== "object") return ERR;
    if (!Object.hasOwn(cur, key)) return ERR;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur === undefined ? ERR : cur;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function evaluate(node: Node, vars: Record<string, unknown>): Value {
  switch (node.k) {
    case "lit":
      return node.v;
    case "path":
      return lookup(vars[node.root], node.keys);
    case "not": {
      const v = evaluate(node.e, vars);
      return typeof v === "boolean" ? !v : ERR;
    }
    case "bin": {
      if (node.op === "&&" || node.op === "||") {
        const l = evaluate(node.l, vars);
        const decisive = node.op === "||";
        if (l === decisive) return decisive;
        const r = evaluate(node.r, vars);
        if (r === decisive) return decisive;
        if (typeof l !== "boolean" || typeof r !== "boolean") return ERR;
        return !decisive;
      }
      const l = evaluate(node.l, vars);
      const r = evaluate(node.r, vars);
      if (l === ERR || r === ERR) return ERR;
      if (node.op === "==") return equal(l, r);
      if (node.op === "!=") return !equal(l, r);
      const comparable =
        (typeof l === "number" && typeof r === "number") || (typeof l === "string" && typeof r === "string");
      if (!comparable) return ERR;
      const a = l as number | string;
      const b = r as number | string;
      if (node.op === "<") return a < b;
      if (node.op === "<=") return a <= b;
      if (node.op === ">") return a > b;
      return a >= b;
    }
  }
}

export type CompiledExpression = {
  source: string;
  /** True only when the expression evaluates to boolean true. */
  matches(vars: Record<string, unknown>): boolean;
  /** The value, or undefined when evaluation errs (e.g. a missing field). */
  value(vars: Record<string, unknown>): unknown;
};

/** Parses `source`, throwing `ExpressionError` when it uses anything outside the supported subset. */
export function compileExpression(source: string, variables: readonly string[]): CompiledExpression {
  const tree = parse(source, variables);
  return {
    source,
    matches: (vars) => evaluate(tree, vars) === true,
    value: (vars) => {
      const v = evaluate(tree, vars);
      return v === ERR ? undefined : v;
    },
  };
}
