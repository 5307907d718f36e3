// decodeProfile: pprof bytes (gzipped or raw protobuf) → a validated, columnar Profile. It refuses what
// is not a profile (HTML, JSON, execution traces, the text forms) with a message that says what the bytes
// are, enforces a decompression cap, and checks what `go tool pprof` checks: string indices in range,
// string_table[0] == "", every id known and unique, one value per sample type.
//
// The wire layout is the one `profileSchema.ts` declares for protobufjs. Samples are decoded by hand in two
// passes (count, then fill typed arrays) because a million samples as protobufjs objects would cost
// several times the memory budget; tests check this decoder against protobufjs's on every fixture.

import { gunzip, isGzip } from './gunzip';
import type { FunctionTable, LocationTable, Mapping, Profile, SampleTable, ValueType } from './profile';
import { ProfileError } from './profileError';
import { WIRE_BYTES, WIRE_VARINT, WireReader, decodeUtf8 } from './protoWire';
import { describeNonProfile } from './sniff';

export const DEFAULT_MAX_DECOMPRESSED_BYTES = 512 * 1024 * 1024;

export interface DecodeOptions {
  /** Refuse gzip data that decompresses to more than this (default 512 MiB). */
  readonly maxDecompressedBytes?: number;
  /**
   * Decompressor to use instead of the built-in one (the CLI passes Node's zlib, which is faster). It must
   * throw a ProfileError('too-large') beyond `maxBytes`.
   */
  readonly gunzip?: (bytes: Uint8Array, maxBytes: number) => Uint8Array;
}

/** Decodes a profile; throws ProfileError for anything that is not a valid pprof profile. */
export function decodeProfile(bytes: Uint8Array, options: DecodeOptions = {}): Profile {
  if (bytes.length === 0) throw new ProfileError('empty', 'the file is empty (0 bytes): the capture produced no data. Capture the profile again.');
  let data = bytes;
  if (isGzip(bytes)) {
    const cap = options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
    data = (options.gunzip ?? gunzip)(bytes, cap);
    if (data.length === 0) throw new ProfileError('empty', 'the gzip data decompresses to nothing: the capture produced no profile. Capture it again.');
  }
  const notProfile = describeNonProfile(data);
  if (notProfile) throw new ProfileError('not-a-profile', notProfile);
  return new ProfileDecoder(data).decode();
}

/** A typed array that grows by doubling while a table is read, then is cut to size. */
class GrowableArray<T extends Float64Array | Int32Array | BigUint64Array> {
  length = 0;

  constructor(
    public items: T,
    private readonly make: (size: number) => T,
  ) {}

  push(value: T extends BigUint64Array ? bigint : number): void {
    if (this.length === this.items.length) {
      const grown = this.make(Math.max(16, this.items.length * 2));
      grown.set(this.items as never);
      this.items = grown;
    }
    (this.items as { [i: number]: unknown })[this.length++] = value;
  }

  finish(): T {
    return this.items.slice(0, this.length) as T;
  }
}

const float64s = (n: number) => new Float64Array(n);
const int32s = (n: number) => new Int32Array(n);

interface RawMapping extends Omit<Mapping, 'file' | 'buildId'> {
  fileIndex: number;
  buildIdIndex: number;
}

interface RawValueType {
  type: number;
  unit: number;
}

/** Maps sparse or dense ids to positions. */
class IdIndex {
  readonly dense: Int32Array | null;
  private readonly sparse: Map<number, number> | null;

  constructor(ids: ArrayLike<number>, what: string) {
    let max = 0;
    for (let i = 0; i < ids.length; i++) max = Math.max(max, ids[i]!);
    if (max <= ids.length * 4 + 1024) {
      this.dense = new Int32Array(max + 1).fill(-1);
      this.sparse = null;
    } else {
      this.dense = null;
      this.sparse = new Map();
    }
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id === 0) throw new ProfileError('bad-index', `the profile has a ${what} with the reserved id 0.`);
      if (this.get(id) !== -1) throw new ProfileError('bad-index', `the profile has two ${what}s with id ${id}.`);
      if (this.dense) this.dense[id] = i;
      else this.sparse!.set(id, i);
    }
  }

  /** Position of `id`, or -1. */
  get(id: number): number {
    if (this.dense) return id < this.dense.length ? this.dense[id]! : -1;
    return this.sparse!.get(id) ?? -1;
  }
}

class ProfileDecoder {
  private readonly r: WireReader;
  private readonly stringRanges: number[] = [];
  private strings: string[] = [];
  private readonly sampleTypes: RawValueType[] = [];
  private readonly mappings: RawMapping[] = [];
  // Locations, their lines and functions, column by column as they are read.
  private readonly locId = new GrowableArray(float64s(0), float64s);
  private readonly locMappingId = new GrowableArray(float64s(0), float64s);
  private readonly locAddress = new GrowableArray(new BigUint64Array(0), (n) => new BigUint64Array(n));
  private readonly locFolded = new GrowableArray(int32s(0), int32s);
  private readonly locLineStart = new GrowableArray(int32s(0), int32s);
  private readonly lineFunctionId = new GrowableArray(float64s(0), float64s);
  private readonly lineNumber = new GrowableArray(float64s(0), float64s);
  private readonly lineColumn = new GrowableArray(float64s(0), float64s);
  private readonly fnId = new GrowableArray(float64s(0), float64s);
  private readonly fnName = new GrowableArray(float64s(0), float64s);
  private readonly fnSystemName = new GrowableArray(float64s(0), float64s);
  private readonly fnFilename = new GrowableArray(float64s(0), float64s);
  private readonly fnStartLine = new GrowableArray(float64s(0), float64s);
  private readonly comments: number[] = [];
  private periodType: RawValueType = { type: 0, unit: 0 };
  private period = 0;
  private timeNanos = 0n;
  private timeSeen = false;
  private durationNanos = 0n;
  private dropFrames = 0;
  private keepFrames = 0;
  private defaultSampleType = 0;
  private docUrl = 0;
  private sampleCount = 0;
  private locationRefCount = 0;
  private labelCount = 0;

  constructor(private readonly buf: Uint8Array) {
    this.r = new WireReader(buf);
  }

  decode(): Profile {
    this.firstPass();
    this.strings = this.decodeStrings();
    const strings = this.strings;
    const str = (index: number, where: string): string => {
      if (index < 0 || index >= strings.length || !Number.isInteger(index)) {
        throw new ProfileError('bad-index', `the profile's ${where} refers to string ${index}, but the string table has ${strings.length} entries.`);
      }
      return strings[index]!;
    };
    const valueType = (v: RawValueType, where: string): ValueType => ({ type: str(v.type, `${where} type`), unit: str(v.unit, `${where} unit`) });

    const sampleTypes = this.sampleTypes.map((t, i) => valueType(t, `sample type ${i}`));
    if (sampleTypes.length === 0 && this.sampleCount > 0) {
      throw new ProfileError('no-sample-types', `the profile has ${this.sampleCount} samples but no sample types, so their values mean nothing. It was written by a broken profiler.`);
    }
    const mappings = this.mappings.map((m): Mapping => {
      const { fileIndex, buildIdIndex, ...rest } = m;
      return { ...rest, file: str(fileIndex, `mapping ${m.id} file name`), buildId: str(buildIdIndex, `mapping ${m.id} build id`) };
    });
    const mappingIndex = new IdIndex(this.mappings.map((m) => m.id), 'mapping');
    const functions = this.functionTable(str);
    const functionIndex = new IdIndex(functions.id, 'function');
    const locations = this.locationTable(mappingIndex, functionIndex);
    const locationIndex = new IdIndex(locations.id, 'location');
    const samples = this.secondPass(locationIndex, sampleTypes.length, locations.count, str);

    return {
      strings,
      sampleTypes,
      defaultSampleType: str(this.defaultSampleType, 'default sample type'),
      periodType: valueType(this.periodType, 'period type'),
      period: this.period,
      timeNanos: this.timeNanos,
      durationNanos: this.durationNanos,
      dropFrames: str(this.dropFrames, 'drop_frames'),
      keepFrames: str(this.keepFrames, 'keep_frames'),
      comments: this.comments.map((c) => str(c, 'comment')),
      docUrl: str(this.docUrl, 'doc_url'),
      mappings,
      functions,
      locations,
      samples,
    };
  }

  /** Everything except samples, which are only counted here. */
  private firstPass(): void {
    const r = this.r;
    let fields = 0;
    while (r.pos < r.end) {
      const tag = r.uint32('a field tag');
      const field = tag >>> 3;
      const wire = tag & 7;
      if (fields++ === 0 && (field < 1 || field > 15 || wire === 3 || wire === 4 || wire > 5)) {
        throw new ProfileError('not-a-profile', 'the data is not a pprof profile: it does not start with a profile.proto field. Check that the file is a profile from /debug/pprof (not a trace, a page or a log).');
      }
      switch (field) {
        case 1:
          r.expect(WIRE_BYTES, wire, 'sample_type');
          this.sampleTypes.push(this.valueType('a sample type'));
          break;
        case 2:
          r.expect(WIRE_BYTES, wire, 'sample');
          this.countSample();
          break;
        case 3:
          r.expect(WIRE_BYTES, wire, 'mapping');
          this.mappings.push(this.mapping());
          break;
        case 4:
          r.expect(WIRE_BYTES, wire, 'location');
          this.location();
          break;
        case 5:
          r.expect(WIRE_BYTES, wire, 'function');
          this.function();
          break;
        case 6: {
          r.expect(WIRE_BYTES, wire, 'string_table');
          const end = r.lengthDelimited('the string table');
          this.stringRanges.push(r.pos, end);
          r.pos = end;
          break;
        }
        case 7:
          r.expect(WIRE_VARINT, wire, 'drop_frames');
          this.dropFrames = r.int('drop_frames');
          break;
        case 8:
          r.expect(WIRE_VARINT, wire, 'keep_frames');
          this.keepFrames = r.int('keep_frames');
          break;
        case 9:
          r.expect(WIRE_VARINT, wire, 'time_nanos');
          if (this.timeSeen && this.timeNanos !== 0n) {
            throw new ProfileError('concatenated', 'the file holds several profiles concatenated one after another (time_nanos appears twice). Split them, or merge them with `go tool pprof -proto a b > merged.pb.gz`.');
          }
          this.timeSeen = true;
          this.timeNanos = r.bigInt('time_nanos');
          break;
        case 10:
          r.expect(WIRE_VARINT, wire, 'duration_nanos');
          this.durationNanos = r.bigInt('duration_nanos');
          break;
        case 11:
          r.expect(WIRE_BYTES, wire, 'period_type');
          this.periodType = this.valueType('the period type');
          break;
        case 12:
          r.expect(WIRE_VARINT, wire, 'period');
          this.period = r.int('period');
          break;
        case 13:
          this.repeatedInt(wire, 'comment', this.comments);
          break;
        case 14:
          r.expect(WIRE_VARINT, wire, 'default_sample_type');
          this.defaultSampleType = r.int('default_sample_type');
          break;
        case 15:
          r.expect(WIRE_VARINT, wire, 'doc_url');
          this.docUrl = r.int('doc_url');
          break;
        default:
          r.skip(wire, `unknown field ${field}`);
      }
    }
  }

  private repeatedInt(wire: number, where: string, out: number[]): void {
    const r = this.r;
    if (wire === WIRE_BYTES) {
      const end = r.lengthDelimited(where);
      const outer = r.end;
      r.end = end;
      while (r.pos < end) out.push(r.int(where));
      r.end = outer;
    } else {
      r.expect(WIRE_VARINT, wire, where);
      out.push(r.int(where));
    }
  }

  /** Runs `body` over the fields of the length-delimited message at the cursor. */
  private message(where: string, body: (field: number, wire: number) => void): void {
    const r = this.r;
    const end = r.lengthDelimited(where);
    const outer = r.end;
    r.end = end;
    while (r.pos < end) {
      const tag = r.uint32(where);
      body(tag >>> 3, tag & 7);
    }
    r.end = outer;
  }

  private valueType(where: string): RawValueType {
    const v: RawValueType = { type: 0, unit: 0 };
    const r = this.r;
    this.message(where, (field, wire) => {
      if (field === 1) {
        r.expect(WIRE_VARINT, wire, `${where} type`);
        v.type = r.int(where);
      } else if (field === 2) {
        r.expect(WIRE_VARINT, wire, `${where} unit`);
        v.unit = r.int(where);
      } else r.skip(wire, where);
    });
    return v;
  }

  private mapping(): RawMapping {
    const r = this.r;
    const m = {
      id: 0, memoryStart: 0n, memoryLimit: 0n, fileOffset: 0n, fileIndex: 0, buildIdIndex: 0,
      hasFunctions: false, hasFilenames: false, hasLineNumbers: false, hasInlineFrames: false,
    };
    this.message('a mapping', (field, wire) => {
      if (field >= 1 && field <= 10) r.expect(WIRE_VARINT, wire, 'a mapping field');
      switch (field) {
        case 1: m.id = r.uint('a mapping id'); break;
        case 2: m.memoryStart = r.bigUint('a mapping start'); break;
        case 3: m.memoryLimit = r.bigUint('a mapping limit'); break;
        case 4: m.fileOffset = r.bigUint('a mapping offset'); break;
        case 5: m.fileIndex = r.int('a mapping file name'); break;
        case 6: m.buildIdIndex = r.int('a mapping build id'); break;
        case 7: m.hasFunctions = r.bool('a mapping'); break;
        case 8: m.hasFilenames = r.bool('a mapping'); break;
        case 9: m.hasLineNumbers = r.bool('a mapping'); break;
        case 10: m.hasInlineFrames = r.bool('a mapping'); break;
        default: r.skip(wire, 'a mapping');
      }
    });
    return m;
  }

  private location(): void {
    const r = this.r;
    const end = r.lengthDelimited('a location');
    const outer = r.end;
    r.end = end;
    let id = 0;
    let mappingId = 0;
    let address = 0n;
    let folded = 0;
    this.locLineStart.push(this.lineNumber.length);
    while (r.pos < end) {
      const tag = r.uint32('a location');
      switch (tag) {
        case 0x08: id = r.uint('a location id'); break;
        case 0x10: mappingId = r.uint('a location mapping id'); break;
        case 0x18: address = r.bigUint('a location address'); break;
        case 0x22: {
          const lineEnd = r.lengthDelimited('a location line');
          r.end = lineEnd;
          let functionId = 0;
          let line = 0;
          let column = 0;
          while (r.pos < lineEnd) {
            const lineTag = r.uint32('a location line');
            if (lineTag === 0x08) functionId = r.uint('a line function id');
            else if (lineTag === 0x10) line = r.int('a line number');
            else if (lineTag === 0x18) column = r.int('a line column');
            else {
              if (lineTag >>> 3 >= 1 && lineTag >>> 3 <= 3) r.expect(WIRE_VARINT, lineTag & 7, 'a location line field');
              r.skip(lineTag & 7, 'a location line');
            }
          }
          r.end = end;
          this.lineFunctionId.push(functionId);
          this.lineNumber.push(line);
          this.lineColumn.push(column);
          break;
        }
        case 0x28: folded = r.bool('is_folded') ? 1 : 0; break;
        default: {
          const field = tag >>> 3;
          if (field >= 1 && field <= 5) r.expect(field === 4 ? WIRE_BYTES : WIRE_VARINT, tag & 7, 'a location field');
          r.skip(tag & 7, 'a location');
        }
      }
    }
    r.end = outer;
    this.locId.push(id);
    this.locMappingId.push(mappingId);
    this.locAddress.push(address);
    this.locFolded.push(folded);
  }

  private function(): void {
    const r = this.r;
    const end = r.lengthDelimited('a function');
    const outer = r.end;
    r.end = end;
    let id = 0;
    let name = 0;
    let systemName = 0;
    let filename = 0;
    let startLine = 0;
    while (r.pos < end) {
      const tag = r.uint32('a function');
      switch (tag) {
        case 0x08: id = r.uint('a function id'); break;
        case 0x10: name = r.int('a function name'); break;
        case 0x18: systemName = r.int('a function system name'); break;
        case 0x20: filename = r.int('a function file name'); break;
        case 0x28: startLine = r.int('a function start line'); break;
        default:
          if (tag >>> 3 >= 1 && tag >>> 3 <= 5) r.expect(WIRE_VARINT, tag & 7, 'a function field');
          r.skip(tag & 7, 'a function');
      }
    }
    r.end = outer;
    this.fnId.push(id);
    this.fnName.push(name);
    this.fnSystemName.push(systemName);
    this.fnFilename.push(filename);
    this.fnStartLine.push(startLine);
  }

  /** Counts a sample's location references and labels without decoding them. */
  private countSample(): void {
    const r = this.r;
    const buf = this.buf;
    const end = r.lengthDelimited('a sample');
    const outer = r.end;
    r.end = end;
    while (r.pos < end) {
      const tag = r.uint32('a sample');
      if (tag === 0x0a) {
        // Packed location ids: one id per byte below 0x80.
        const packedEnd = r.lengthDelimited('a sample location list');
        let n = 0;
        for (let p = r.pos; p < packedEnd; p++) if (buf[p]! < 0x80) n++;
        this.locationRefCount += n;
        r.pos = packedEnd;
      } else if (tag === 0x08) {
        r.varint64('a sample location id');
        this.locationRefCount++;
      } else if (tag === 0x1a) {
        r.pos = r.lengthDelimited('a sample label');
        this.labelCount++;
      } else {
        r.skip(tag & 7, 'a sample');
      }
    }
    r.end = outer;
    this.sampleCount++;
  }

  private decodeStrings(): string[] {
    const ranges = this.stringRanges;
    const strings = new Array<string>(ranges.length / 2);
    for (let i = 0; i < ranges.length; i += 2) strings[i / 2] = decodeUtf8(this.buf, ranges[i]!, ranges[i + 1]!);
    if (strings.length === 0) return [''];
    if (strings[0] !== '') {
      throw new ProfileError('malformed', `the profile's string table must start with "" but starts with ${JSON.stringify(strings[0]!.slice(0, 40))}: the file is not a valid profile.`);
    }
    return strings;
  }

  private functionTable(str: (index: number, where: string) => string): FunctionTable {
    const id = this.fnId.finish();
    const n = id.length;
    const columns = [this.fnName.finish(), this.fnSystemName.finish(), this.fnFilename.finish()] as const;
    const what = ['name', 'system name', 'file name'];
    const [name, systemName, filename] = columns.map((column, c) => {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const index = column[i]!;
        if (index < 0 || index >= this.strings.length) str(index, `function ${id[i]} ${what[c]}`);
        out[i] = index;
      }
      return out;
    }) as [Int32Array, Int32Array, Int32Array];
    return { count: n, id, name, systemName, filename, startLine: this.fnStartLine.finish() };
  }

  private locationTable(mappingIndex: IdIndex, functionIndex: IdIndex): LocationTable {
    const id = this.locId.finish();
    const n = id.length;
    const mappingIds = this.locMappingId.finish();
    const mapping = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const mid = mappingIds[i]!;
      if (mid === 0) {
        mapping[i] = -1;
        continue;
      }
      const m = mappingIndex.get(mid);
      if (m < 0) throw new ProfileError('bad-index', `location ${id[i]} refers to mapping ${mid}, which the profile does not define.`);
      mapping[i] = m;
    }
    const lineStart = new Uint32Array(n + 1);
    lineStart.set(this.locLineStart.finish());
    const functionIds = this.lineFunctionId.finish();
    const lineCount = functionIds.length;
    lineStart[n] = lineCount;
    const lineFunction = new Int32Array(lineCount);
    for (let l = 0; l < n; l++) {
      for (let i = lineStart[l]!; i < lineStart[l + 1]!; i++) {
        const fid = functionIds[i]!;
        const f = fid === 0 ? -1 : functionIndex.get(fid);
        if (f < 0) {
          throw new ProfileError('bad-index', fid === 0
            ? `location ${id[l]} has a line without a function (function id 0).`
            : `location ${id[l]} refers to function ${fid}, which the profile does not define.`);
        }
        lineFunction[i] = f;
      }
    }
    return {
      count: n,
      id,
      mapping,
      address: this.locAddress.finish(),
      isFolded: Uint8Array.from(this.locFolded.finish()),
      lineStart,
      lineFunction,
      lineNumber: this.lineNumber.finish(),
      lineColumn: this.lineColumn.finish(),
    };
  }

  /** Decodes the samples into typed arrays sized by the first pass. */
  private secondPass(locationIndex: IdIndex, valueCount: number, locationCount: number, str: (index: number, where: string) => string): SampleTable {
    const sampleCount = this.sampleCount;
    const locationStart = new Uint32Array(sampleCount + 1);
    const locations = locationCount <= 0x10000 ? new Uint16Array(this.locationRefCount) : new Uint32Array(this.locationRefCount);
    const values = new Float64Array(sampleCount * valueCount);
    const labelStart = new Uint32Array(sampleCount + 1);
    const labelKey = new Int32Array(this.labelCount);
    const labelString = new Int32Array(this.labelCount);
    const labelNumber = new Float64Array(this.labelCount);
    const labelUnit = new Int32Array(this.labelCount);
    const stringCount = this.strings.length;

    const r = new WireReader(this.buf);
    const buf = this.buf;
    let sample = 0;
    let locPos = 0;
    let labelPos = 0;
    const dense = locationIndex.dense;
    const denseLength = dense ? dense.length : 0;
    const unknownLocation = (id: number): ProfileError =>
      new ProfileError('bad-index', `sample ${sample} refers to location ${id}, which the profile does not define.`);

    while (r.pos < r.end) {
      const tag = r.uint32('a field tag');
      if (tag !== 0x12) {
        r.skip(tag & 7, 'a field');
        continue;
      }
      const end = r.lengthDelimited('a sample');
      const outer = r.end;
      r.end = end;
      locationStart[sample] = locPos;
      labelStart[sample] = labelPos;
      let valuePos = sample * valueCount;
      const valueEnd = valuePos + valueCount;
      let seenValues = 0;
      while (r.pos < end) {
        const sampleTag = r.uint32('a sample');
        if (sampleTag === 0x0a) {
          const packedEnd = r.lengthDelimited('a sample location list');
          let p = r.pos;
          while (p < packedEnd) {
            let id = buf[p++]!;
            if (id >= 0x80) {
              r.pos = p - 1;
              r.end = packedEnd;
              id = r.uint('a sample location id');
              r.end = end;
              p = r.pos;
            }
            const index = dense !== null ? (id < denseLength ? dense[id]! : -1) : locationIndex.get(id);
            if (index < 0) throw unknownLocation(id);
            locations[locPos++] = index;
          }
          r.pos = p;
        } else if (sampleTag === 0x08) {
          const id = r.uint('a sample location id');
          const index = locationIndex.get(id);
          if (index < 0) throw unknownLocation(id);
          locations[locPos++] = index;
        } else if (sampleTag === 0x12) {
          const packedEnd = r.lengthDelimited('a sample value list');
          r.end = packedEnd;
          while (r.pos < packedEnd) {
            const v = buf[r.pos]! < 0x80 ? buf[r.pos++]! : r.int('a sample value');
            if (valuePos < valueEnd) values[valuePos] = v;
            valuePos++;
            seenValues++;
          }
          r.end = end;
        } else if (sampleTag === 0x10) {
          const v = r.int('a sample value');
          if (valuePos < valueEnd) values[valuePos] = v;
          valuePos++;
          seenValues++;
        } else if (sampleTag === 0x1a) {
          const labelEnd = r.lengthDelimited('a sample label');
          r.end = labelEnd;
          let key = 0;
          let strIndex = 0;
          let num = 0;
          let unit = 0;
          while (r.pos < labelEnd) {
            const labelTag = r.uint32('a sample label');
            switch (labelTag) {
              case 0x08: key = r.int('a label key'); break;
              case 0x10: strIndex = r.int('a label value'); break;
              case 0x18: num = r.int('a numeric label value'); break;
              case 0x20: unit = r.int('a numeric label unit'); break;
              default:
                if ((labelTag >>> 3) >= 1 && (labelTag >>> 3) <= 4) r.expect(WIRE_VARINT, labelTag & 7, 'a label field');
                r.skip(labelTag & 7, 'a sample label');
            }
          }
          r.end = end;
          if (key < 0 || key >= stringCount) str(key, `sample ${sample} label key`);
          if (strIndex < 0 || strIndex >= stringCount) str(strIndex, `sample ${sample} label value`);
          if (unit < 0 || unit >= stringCount) str(unit, `sample ${sample} label unit`);
          // As in pprof: a label with neither a string nor a number nor a unit carries nothing.
          if (strIndex !== 0 || num !== 0 || unit !== 0) {
            labelKey[labelPos] = key;
            labelString[labelPos] = strIndex;
            labelNumber[labelPos] = num;
            labelUnit[labelPos] = unit;
            labelPos++;
          }
        } else {
          const field = sampleTag >>> 3;
          if (field >= 1 && field <= 3) r.expect(field === 3 ? WIRE_BYTES : WIRE_VARINT, sampleTag & 7, `sample field ${field}`);
          r.skip(sampleTag & 7, 'a sample');
        }
      }
      r.end = outer;
      if (seenValues !== valueCount) {
        throw new ProfileError('value-count', `sample ${sample} has ${seenValues} values but the profile declares ${valueCount} sample types (${valueCount === 0 ? 'none' : 'one value per type is required'}).`);
      }
      sample++;
    }
    locationStart[sample] = locPos;
    labelStart[sample] = labelPos;
    return {
      count: sampleCount,
      locationStart,
      locations: locPos === locations.length ? locations : locations.subarray(0, locPos),
      values,
      labelStart,
      labelKey: labelKey.subarray(0, labelPos),
      labelString: labelString.subarray(0, labelPos),
      labelNumber: labelNumber.subarray(0, labelPos),
      labelUnit: labelUnit.subarray(0, labelPos),
    };
  }
}
