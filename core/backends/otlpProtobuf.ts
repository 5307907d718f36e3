// OTLP traces in protobuf (what Tempo answers to `Accept: application/protobuf`) turned straight into
// OTLP/JSON text, the form the timeline's span reader takes, in one pass over the bytes: fields are written
// as UTF-8 JSON in the order they come (strings copied byte for byte, escaped where JSON needs it) and the
// text is decoded once at the end, so a 100,000-span trace makes no garbage but the answer itself. Field numbers are
// opentelemetry-proto's (opentelemetry/proto/trace/v1/trace.proto, common/v1/common.proto,
// resource/v1/resource.proto) plus Tempo's wrappers: `tempopb.Trace` (`batches = 1`, the same wire form as
// `TracesData`) and `tempopb.TraceByIDResponse` (`trace = 1`, `status = 3` with PARTIAL = 1,
// `message = 4`). The JSON is OTLP/JSON's: hex IDs, enums as numbers, 64-bit integers as decimal strings.
// Unknown fields are skipped, as protobuf readers do; damaged data throws an Error saying where.

const VARINT = 0;
const FIXED64 = 1;
const LENGTH = 2;
const FIXED32 = 5;

const HEX_DIGITS = new TextEncoder().encode('0123456789abcdef');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** A cursor over the protobuf bytes; a message is read between `pos` and the `end` it is given. */
class Wire {
  pos = 0;
  readonly view: DataView;

  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  fail(what: string): Error {
    return new Error(`${what} at byte ${this.pos}`);
  }

  /** A varint of up to 53 bits as a number (tags, lengths, enums, booleans). */
  small(end: number): number {
    let value = 0;
    for (let multiplier = 1; multiplier < 2 ** 53; multiplier *= 128) {
      if (this.pos >= end) throw this.fail('a varint runs past the end of its message');
      const byte = this.buf[this.pos++]!;
      value += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return value;
    }
    throw this.fail('a varint too large for a length, tag or enum');
  }

  /** A 64-bit varint as the decimal text of its signed value (int64). */
  int64(end: number): string {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= end) throw this.fail('a varint runs past the end of its message');
      const byte = this.buf[this.pos++]!;
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return String(BigInt.asIntN(64, value));
    }
    throw this.fail('a varint longer than 10 bytes');
  }

  /** The next field's number × 8 + wire type, or -1 at the end of the message. */
  key(end: number): number {
    return this.pos < end ? this.small(end) : -1;
  }

  /** Moves past `n` bytes and returns where they start. */
  take(n: number, end: number): number {
    const start = this.pos;
    if (n > end - start) throw this.fail(`a field of ${n} bytes runs past the end of its message`);
    this.pos += n;
    return start;
  }

  /** The end of the length-delimited field that starts here; `pos` is left at its first byte. */
  nested(end: number): number {
    const length = this.small(end);
    const start = this.take(length, end);
    this.pos = start;
    return start + length;
  }

  skip(key: number, end: number): void {
    const wire = key & 7;
    if (wire === VARINT) this.int64(end);
    else if (wire === FIXED64) this.take(8, end);
    else if (wire === LENGTH) this.take(this.small(end), end);
    else if (wire === FIXED32) this.take(4, end);
    else throw this.fail(`wire type ${wire}, which protobuf does not have (or a group)`);
  }

  /** Checks that a known field has the wire type its definition gives it. */
  expect(key: number, wire: number): void {
    if ((key & 7) !== wire) throw this.fail(`field ${key >>> 3} has wire type ${key & 7} where ${wire} belongs`);
  }
}

/**
 * JSON written as UTF-8 bytes. Objects keep, per nesting level, whether a member was written and which
 * repeated field's array is open, so members go out in the order the fields come and a repeated field's
 * elements (contiguous, as every protobuf encoder writes them) share one array.
 */
class JsonBytes {
  private buf: Uint8Array;
  private len = 0;
  private readonly written: boolean[] = [];
  private readonly openArray: number[] = [];
  private readonly closedArrays: number[] = [];

  constructor(size: number) {
    this.buf = new Uint8Array(Math.max(1024, size));
  }

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
  }

  /** ASCII text as it is: punctuation, names, numbers. */
  ascii(text: string): void {
    this.room(text.length);
    for (let i = 0; i < text.length; i++) this.buf[this.len++] = text.charCodeAt(i);
  }

  /** A string field's UTF-8 bytes as a JSON string, escaped where JSON needs it. */
  string(src: Uint8Array, start: number, stop: number): void {
    this.room(stop - start + 2);
    this.buf[this.len++] = QUOTE;
    for (let i = start; i < stop; i++) {
      const byte = src[i]!;
      if (byte >= 0x20 && byte !== QUOTE && byte !== BACKSLASH) {
        this.buf[this.len++] = byte;
        continue;
      }
      const escape = byte === QUOTE ? '\\"' : byte === BACKSLASH ? '\\\\' : `\\u${byte.toString(16).padStart(4, '0')}`;
      this.ascii(escape);
      this.room(stop - i + 1);
    }
    this.buf[this.len++] = QUOTE;
  }

  /** Bytes as a quoted lowercase hex string (trace and span IDs). */
  hex(src: Uint8Array, start: number, stop: number): void {
    this.room((stop - start) * 2 + 2);
    this.buf[this.len++] = QUOTE;
    for (let i = start; i < stop; i++) {
      this.buf[this.len++] = HEX_DIGITS[src[i]! >> 4]!;
      this.buf[this.len++] = HEX_DIGITS[src[i]! & 15]!;
    }
    this.buf[this.len++] = QUOTE;
  }

  open(): void {
    this.ascii('{');
    this.written.push(false);
    this.openArray.push(0);
    this.closedArrays.push(0);
  }

  private closeArray(level: number): void {
    if (this.openArray[level] === 0) return;
    this.ascii(']');
    this.closedArrays[level]! |= 1 << (this.openArray[level]! & 31);
    this.openArray[level] = 0;
  }

  /** A member whose value is ASCII JSON already (a number, a boolean, a quoted decimal). */
  value(name: string, json: string): void {
    this.member(name);
    this.ascii(json);
  }

  /** `"name":` as the object's next member. */
  member(name: string): void {
    const level = this.written.length - 1;
    this.closeArray(level);
    this.ascii(this.written[level] ? `,"${name}":` : `"${name}":`);
    this.written[level] = true;
  }

  /** The next element of repeated field `field` (written as member `name`). */
  element(field: number, name: string): void {
    const level = this.written.length - 1;
    if (this.openArray[level] === field) {
      this.ascii(',');
      return;
    }
    if (this.closedArrays[level]! & (1 << (field & 31))) throw new Error(`repeated field ${field} (${name}) comes in two separate runs`);
    this.member(name);
    this.ascii('[');
    this.openArray[level] = field;
  }

  close(): void {
    this.closeArray(this.written.length - 1);
    this.written.pop();
    this.openArray.pop();
    this.closedArrays.pop();
    this.ascii('}');
  }

  text(): string {
    return new TextDecoder('utf-8').decode(this.buf.subarray(0, this.len));
  }
}

/** Reads one message of the OTLP trace model into JSON. */
type Reader = (w: Wire, end: number, out: JsonBytes, count: Counter) => void;

interface Counter {
  spans: number;
}

const tag = (number: number, wire: number): number => number * 8 + wire;

/** Writes a length-delimited string field. */
function stringField(w: Wire, end: number, out: JsonBytes, name: string): void {
  const stop = w.nested(end);
  out.member(name);
  out.string(w.buf, w.pos, stop);
  w.pos = stop;
}

/** Writes a bytes field as hex (IDs). */
function hexField(w: Wire, end: number, out: JsonBytes, name: string): void {
  const stop = w.nested(end);
  out.member(name);
  out.hex(w.buf, w.pos, stop);
  w.pos = stop;
}

/** Writes the next element of a repeated message field with `read`. */
function messageElement(w: Wire, end: number, out: JsonBytes, count: Counter, field: number, name: string, read: Reader): void {
  w.expect(tag(field, LENGTH), LENGTH);
  out.element(field, name);
  const stop = w.nested(end);
  read(w, stop, out, count);
  w.pos = stop;
}

/** Writes a (non-repeated) message field with `read`. */
function messageField(w: Wire, end: number, out: JsonBytes, count: Counter, name: string, read: Reader): void {
  out.member(name);
  const stop = w.nested(end);
  read(w, stop, out, count);
  w.pos = stop;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary);
}

const anyValue: Reader = (w, end, out, count) => {
  out.open();
  for (let key = w.key(end); key !== -1; key = w.key(end)) {
    if (key === tag(1, LENGTH)) stringField(w, end, out, 'stringValue');
    else if (key === tag(2, VARINT)) out.value('boolValue', w.small(end) !== 0 ? 'true' : 'false');
    else if (key === tag(3, VARINT)) out.value('intValue', `"${w.int64(end)}"`);
    else if (key === tag(4, FIXED64)) out.value('doubleValue', JSON.stringify(w.view.getFloat64(w.take(8, end), true)) ?? 'null');
    else if (key === tag(5, LENGTH)) messageField(w, end, out, count, 'arrayValue', arrayValue);
    else if (key === tag(6, LENGTH)) messageField(w, end, out, count, 'kvlistValue', keyValueList);
    else if (key === tag(7, LENGTH)) {
      const stop = w.nested(end);
      out.member('bytesValue');
      out.ascii(`"${base64(w.buf.subarray(w.pos, stop))}"`);
      w.pos = stop;
    } else w.skip(key, end);
  }
  out.close();
};

/** ArrayValue and KeyValueList: `repeated … values = 1`. */
function valuesOf(readItem: Reader): Reader {
  return (w, end, out, count) => {
    out.open();
    for (let key = w.key(end); key !== -1; key = w.key(end)) {
      if (key >>> 3 === 1) messageElement(w, end, out, count, 1, 'values', readItem);
      else w.skip(key, end);
    }
    out.close();
  };
}

const arrayValue = valuesOf(anyValue);

const keyValue: Reader = (w, end, out, count) => {
  out.open();
  for (let key = w.key(end); key !== -1; key = w.key(end)) {
    if (key === tag(1, LENGTH)) stringField(w, end, out, 'key');
    else if (key === tag(2, LENGTH)) messageField(w, end, out, count, 'value', anyValue);
    else w.skip(key, end);
  }
  out.close();
};

const keyValueList = valuesOf(keyValue);

/** Resource, InstrumentationScope and the attribute-only parts of other messages: name, version, attributes. */
function attributesOf(attributesField: number): Reader {
  return (w, end, out, count) => {
    out.open();
    for (let key = w.key(end); key !== -1; key = w.key(end)) {
      if (key >>> 3 === attributesField) messageElement(w, end, out, count, attributesField, 'attributes', keyValue);
      else if (attributesField === 3 && key === tag(1, LENGTH)) stringField(w, end, out, 'name');
      else if (attributesField === 3 && key === tag(2, LENGTH)) stringField(w, end, out, 'version');
      else w.skip(key, end);
    }
    out.close();
  };
}

const resource = attributesOf(1);
const scope = attributesOf(3);

const event: Reader = (w, end, out, count) => {
  out.open();
  for (let key = w.key(end); key !== -1; key = w.key(end)) {
    if (key === tag(1, FIXED64)) out.value('timeUnixNano', `"${w.view.getBigUint64(w.take(8, end), true)}"`);
    else if (key === tag(2, LENGTH)) stringField(w, end, out, 'name');
    else if (key >>> 3 === 3) messageElement(w, end, out, count, 3, 'attributes', keyValue);
    else w.skip(key, end);
  }
  out.close();
};

const link: Reader = (w, end, out, count) => {
  out.open();
  for (let key = w.key(end); key !== -1; key = w.key(end)) {
    if (key === tag(1, LENGTH)) hexField(w, end, out, 'traceId');
    else if (key === tag(2, LENGTH)) hexField(w, end, out, 'spanId');
    else if (key >>> 3 === 4) messageElement(w, end, out, count, 4, 'attributes', keyValue);
    else w.skip(key, end);
  }
  out.close();
};

const status: Reader = (w, end, out) => {
  out.open();
  for (let key = w.key(end); key !== -1; key = w.key(end)) {
    if (key === tag(2, LENGTH)) stringField(w, end, out, 'message');
    else if (key === tag(3, VARINT)) out.value('code', String(w.small(end)));
    else w.skip(key, end);
  }
  out.close();
};

const span: Reader = (w, end, out, count) => {
  out.open();
  let times = 0;
  for (let key = w.key(end); key !== -1; key = w.key(end)) {
    const field = key >>> 3;
    if (field === 1 || field === 2 || field === 4) {
      w.expect(key, LENGTH);
      hexField(w, end, out, field === 1 ? 'traceId' : field === 2 ? 'spanId' : 'parentSpanId');
    } else if (field === 5) {
      w.expect(key, LENGTH);
      stringField(w, end, out, 'name');
    } else if (field === 6) {
      w.expect(key, VARINT);
      out.member('kind');
      out.ascii(String(w.small(end)));
    } else if (field === 7 || field === 8) {
      w.expect(key, FIXED64);
      out.member(field === 7 ? 'startTimeUnixNano' : 'endTimeUnixNano');
      out.ascii(`"${w.view.getBigUint64(w.take(8, end), true)}"`);
      times |= field === 7 ? 1 : 2;
    } else if (field === 9) messageElement(w, end, out, count, 9, 'attributes', keyValue);
    else if (field === 11) messageElement(w, end, out, count, 11, 'events', event);
    else if (field === 13) messageElement(w, end, out, count, 13, 'links', link);
    else if (field === 15) {
      w.expect(key, LENGTH);
      messageField(w, end, out, count, 'status', status);
    } else w.skip(key, end);
  }
  // proto3 leaves a zero time out; OTLP/JSON readers want both times.
  if (!(times & 1)) out.value('startTimeUnixNano', '"0"');
  if (!(times & 2)) out.value('endTimeUnixNano', '"0"');
  out.close();
  count.spans++;
};

/** A message of one message field (1) and one repeated message field (2): ScopeSpans, ResourceSpans. */
function pair(name: string, read: Reader, listName: string, readItem: Reader): Reader {
  return (w, end, out, count) => {
    out.open();
    for (let key = w.key(end); key !== -1; key = w.key(end)) {
      if (key === tag(1, LENGTH)) messageField(w, end, out, count, name, read);
      else if (key >>> 3 === 2) messageElement(w, end, out, count, 2, listName, readItem);
      else w.skip(key, end);
    }
    out.close();
  };
}

const scopeSpans = pair('scope', scope, 'spans', span);
const resourceSpans = pair('resource', resource, 'scopeSpans', scopeSpans);

const tracesData: Reader = (w, end, out, count) => {
  out.open();
  out.member('resourceSpans');
  out.ascii('[');
  let first = true;
  for (let key = w.key(end); key !== -1; key = w.key(end)) {
    if (key >>> 3 !== 1) {
      w.skip(key, end);
      continue;
    }
    w.expect(key, LENGTH);
    if (!first) out.ascii(',');
    first = false;
    const stop = w.nested(end);
    resourceSpans(w, stop, out, count);
    w.pos = stop;
  }
  out.ascii(']');
  out.close();
};

export interface DecodedOtlpTrace {
  /** `{"resourceSpans": […]}`: an OTLP/JSON export. */
  readonly text: string;
  readonly spanCount: number;
  /** From Tempo's v2 wrapper: the trace is partial (PARTIAL = 1), with Tempo's reason. */
  readonly partial?: string;
}

/** Decodes `TracesData` / `tempopb.Trace` bytes, or a `TraceByIDResponse` when `wrapped`; throws an Error saying where the data is damaged. */
export function decodeOtlpTrace(bytes: Uint8Array, wrapped: boolean): DecodedOtlpTrace {
  const count: Counter = { spans: 0 };
  const w = new Wire(bytes);
  const out = new JsonBytes(bytes.length * 3);
  const end = bytes.length;
  if (!wrapped) {
    tracesData(w, end, out, count);
    return { text: out.text(), spanCount: count.spans };
  }
  let traceSeen = false;
  let partial = false;
  let message = '';
  for (let key = w.key(end); key !== -1; key = w.key(end)) {
    if (key === tag(1, LENGTH) && !traceSeen) {
      const stop = w.nested(end);
      tracesData(w, stop, out, count);
      w.pos = stop;
      traceSeen = true;
    } else if (key === tag(3, VARINT)) {
      partial = w.small(end) === 1;
    } else if (key === tag(4, LENGTH)) {
      const stop = w.nested(end);
      message = new TextDecoder('utf-8').decode(bytes.subarray(w.pos, stop));
      w.pos = stop;
    } else {
      w.skip(key, end);
    }
  }
  const text = traceSeen ? out.text() : '{"resourceSpans":[]}';
  return { text, spanCount: count.spans, ...(partial ? { partial: message || 'Tempo returned part of the trace' } : {}) };
}
