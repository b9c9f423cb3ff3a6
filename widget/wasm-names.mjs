// Short import names for the widget's first module (a step of widget/split.mjs, issue #14).
// wasm-bindgen names each JS function the wasm imports `__wbg_<name>_<16 hex digits>`, and
// the names stand twice in what a first open fetches: in the wasm's import section and as the
// keys of the glue's import object. ~250 imports of ~50 characters, their hashes random, were
// ~4 KB gzip of it; so do the exports only the glue calls (closure trampolines named by their
// whole Rust signature, `__wbindgen_malloc` …). They are renamed here, in the wasm and in the
// glue alike, to `$<n>` (base 36). Only imports of the glue's own module are renamed (the part
// loaders' imports, `__wasm_split.js`, keep their names, which the loader of parts looks up),
// and only the exports `exported` matches (not the JS API's, `memory`, the function table or
// the parts' shared globals).

/** Reads an unsigned LEB128 at `at`: `[value, next offset]`. */
function uleb(bytes, at) {
  let value = 0, shift = 0, byte;
  do {
    byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

/** Writes an unsigned LEB128. */
function toUleb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

const text = new TextDecoder();
const encode = (s) => [...toUleb(Buffer.byteLength(s)), ...Buffer.from(s)];

/** Skips a table's or memory's limits at `at`; returns the offset after them. */
function skipLimits(bytes, at) {
  const flags = bytes[at++];
  [, at] = uleb(bytes, at);
  if (flags & 1) [, at] = uleb(bytes, at);
  return at;
}

/** `wasm` (bytes) with the imports of `module` and the exports whose names match `exported`
 * renamed: `{wasm, renamed}`, where `renamed` maps each old name to its new one. Throws on an
 * import kind it does not know, rather than guess. */
export function shortenNames(wasm, module, exported = /^$/) {
  const bytes = Uint8Array.from(wasm);
  if (bytes[0] != 0 || bytes[1] != 0x61 || bytes[2] != 0x73 || bytes[3] != 0x6d) throw new Error('wasm-names: not a wasm module');
  const renamed = new Map();
  const exports = new Set();
  const rename = (name) => {
    const short = renamed.get(name) ?? `$${renamed.size.toString(36)}`;
    renamed.set(name, short);
    return short;
  };
  /** A name at `at`: `[name, next offset]`. */
  const nameAt = (at) => {
    const [length, start] = uleb(bytes, at);
    return [text.decode(bytes.subarray(start, start + length)), start + length];
  };
  // Each entry of an import or export section, rewritten: `[its new bytes, next offset]`.
  const entries = {
    2: (p) => {
      const [mod, m] = nameAt(p);
      const [name, n] = nameAt(m);
      let q = n;
      const kind = bytes[q++];
      if (kind == 0) [, q] = uleb(bytes, q); // function: its type
      else if (kind == 1) q = skipLimits(bytes, q + 1); // table: element type, limits
      else if (kind == 2) q = skipLimits(bytes, q); // memory: limits
      else if (kind == 3) q += 2; // global: value type, mutability
      else if (kind == 4) [, q] = uleb(bytes, q + 1); // tag: attribute, type
      else throw new Error(`wasm-names: import kind ${kind} of ${mod} ${name} is not known`);
      return [[...encode(mod), ...encode(mod == module ? rename(name) : name), ...bytes.subarray(n, q)], q];
    },
    7: (p) => {
      const [name, n] = nameAt(p);
      const [, q] = uleb(bytes, n + 1); // the kind, then the index
      if (exported.test(name)) exports.add(name);
      return [[...encode(exported.test(name) ? rename(name) : name), ...bytes.subarray(n, q)], q];
    },
  };
  const out = [bytes.subarray(0, 8)];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, body] = uleb(bytes, at + 1);
    const end = body + size;
    const entry = entries[id];
    if (entry) {
      let [count, p] = uleb(bytes, body);
      const section = [...toUleb(count)];
      for (let i = 0; i < count; i++) {
        const [written, next] = entry(p);
        section.push(...written);
        p = next;
      }
      if (p != end) throw new Error(`wasm-names: section ${id} did not end where its size says`);
      out.push(Uint8Array.from([id, ...toUleb(section.length), ...section]));
    } else {
      out.push(bytes.subarray(at, end));
    }
    at = end;
  }
  return { wasm: Buffer.concat(out), renamed, exports };
}

/** `glue` (wasm-bindgen's JS) with each renamed import's name replaced, as a whole word. Throws
 * when an import's name is not in the glue (an export of `unused` the glue need not call: the
 * allocator's `free` when no export takes a string), or the glue already holds a `$<n>` name. */
export function renameInGlue(glue, renamed, unused = new Set()) {
  if (/(^|[^\w$])\$[0-9a-z]+\b/.test(glue)) throw new Error('wasm-names: the glue already uses names of the form $<n>');
  let out = glue;
  for (const [name, short] of renamed) {
    const word = new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
    if (!word.test(out)) {
      if (unused.has(name)) continue;
      throw new Error(`wasm-names: ${name} is not in the glue`);
    }
    out = out.replace(word, short);
  }
  return out;
}
