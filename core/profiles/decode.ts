// Profile decoding: pprof bytes (gzipped or raw protobuf) → a validated, columnar Profile. It refuses what
// is not a profile (HTML, JSON, execution traces, the text forms) with a message that says what the bytes
// are, enforces a decompression cap, and checks what `go tool pprof` checks: string indices in range,
// string_table[0] == "", every id known and unique, one value per sample type.
//
// Decoding takes two passes over the protobuf, fed in chunks of any size (`ProfileDecoder`): the first
// reads everything but the samples, which it only counts; the second fills the sample arrays, sized
// exactly. Fed from a streaming decompressor, neither pass needs the whole decompressed profile in memory.
// The wire layout is the one `profileSchema.ts` declares for protobufjs; samples are decoded by hand
// (`sampleFiller.ts`) because a million samples as protobufjs objects would cost several times the memory
// budget, and the tests check this decoder against protobufjs's on every fixture.

import { FieldFramer } from './fieldFramer';
import { IdIndex } from './idIndex';
import type { FunctionTable, LocationTable, Mapping, Profile, ValueType } from './profile';
import { ProfileError } from './profileError';
import { WIRE_BYTES, WIRE_VARINT, WireReader, decodeUtf8 } from './protoWire';
import { SampleFiller } from './sampleFiller';
import { describeNonProfile, isGzip } from './sniff';

export const DEFAULT_MAX_DECOMPRESSED_BYTES = 512 * 1024 * 1024;

/**
 * A host's gzip decompressor (Node's zlib in `gunzip.node.ts`). It must throw ProfileError: 'too-large' beyond
 * `maxBytes`, 'truncated' or 'corrupt-gzip' for bad data.
 */
export type Gunzip = (bytes: Uint8Array, maxBytes: number) => Uint8Array;

export interface DecodeOptions {
  /** Refuse gzip data that decompresses to more than this (default 512 MiB). */
  readonly maxDecompressedBytes?: number;
  /** Decompresses gzipped data; without one, only uncompressed protobuf is decoded. */
  readonly gunzip?: Gunzip;
}

/** Decodes a profile; throws ProfileError for anything that is not a valid pprof profile. */
export function decodeProfile(bytes: Uint8Array, options: DecodeOptions = {}): Profile {
  if (bytes.length === 0) throw new ProfileError('empty', 'the file is empty (0 bytes): the capture produced no data. Capture the profile again.');
  let data = bytes;
  if (isGzip(bytes)) {
    if (!options.gunzip) throw new ProfileError('not-a-profile', 'the profile is gzip-compressed, and this host decodes uncompressed profiles only. Decompress it first (gunzip).');
    const cap = options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
    data = options.gunzip(bytes, cap);
    if (data.length === 0) throw new ProfileError('empty', 'the gzip data decompresses to nothing: the capture produced no profile. Capture it again.');
  }
  const decoder = new ProfileDecoder({ maxDecodedBytes: 3 * (options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES) });
  decoder.scan(data);
  decoder.endScan();
  decoder.fill(data);
  return decoder.finish();
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

/** The wire type each known Profile field must have. */
const PROFILE_FIELD_WIRE: readonly (number | undefined)[] = [
  undefined, WIRE_BYTES, WIRE_BYTES, WIRE_BYTES, WIRE_BYTES, WIRE_BYTES, WIRE_BYTES,
  WIRE_VARINT, WIRE_VARINT, WIRE_VARINT, WIRE_VARINT, WIRE_BYTES, WIRE_VARINT, undefined, WIRE_VARINT, WIRE_VARINT,
];
const PROFILE_FIELD_NAME = ['', 'sample_type', 'sample', 'mapping', 'location', 'function', 'string_table', 'drop_frames', 'keep_frames', 'time_nanos', 'duration_nanos', 'period_type', 'period', 'comment', 'default_sample_type', 'doc_url'];

/** The first bytes that decide whether the data is a profile at all (see sniff.ts). */
const SNIFF_BYTES = 4096;

/**
 * Checks that `prefix`, the first bytes of a longer uncompressed profile, starts like one: what the bytes
 * are is sniffed, and every field that ends within the prefix is read as pass 1 reads it (field numbers,
 * wire types, the messages inside); at least one must. Throws the decoder's ProfileError; what follows the
 * prefix is not seen.
 */
export function checkProfileStart(prefix: Uint8Array): void {
  const decoder = new ProfileDecoder();
  decoder.scan(prefix);
  decoder.endStart();
}

/** Rough memory cost of each decoded entity, to refuse profiles whose tables would not fit. */
const COST = { sampleType: 64, mapping: 256, location: 64, line: 32, function: 48, string: 48, comment: 16, sample: 16 };

export interface ProfileDecoderOptions {
  /**
   * Refuse a profile whose decoded tables would take more than this many bytes (default 3x the default
   * decompression cap): a small file of tiny repeated fields must not expand into gigabytes of tables.
   */
  readonly maxDecodedBytes?: number;
}

/**
 * A profile decoder fed in chunks: `scan` every chunk, `endScan`, `fill` the same chunks again, `finish`.
 * Chunks may split fields anywhere.
 */
export class ProfileDecoder {
  private decodedBytes = 0;
  private readonly maxDecodedBytes: number;
  private readonly strings: string[] = [];
  private readonly sampleTypes: RawValueType[] = [];
  private readonly mappings: RawMapping[] = [];
  private readonly comments: number[] = [];
  private periodType: RawValueType = { type: 0, unit: 0 };
  private period = 0;
  private timeNanos = 0n;
  private durationNanos = 0n;
  private dropFrames = 0;
  private keepFrames = 0;
  private defaultSampleType = 0;
  private docUrl = 0;
  private sampleCount = 0;
  private locationRefCount = 0;
  private fieldCount = 0;
  private sniffed = false;
  /** The first bytes, held until there are enough to tell whether this is a profile at all. */
  private head = new Uint8Array(0);

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

  private r = new WireReader(new Uint8Array(0), 'the profile', false);
  private readonly scanner = new FieldFramer((tag, buf, start, end, offset) => this.scanField(tag, buf, start, end, offset));
  private filler: SampleFiller | null = null;
  private readonly fillFramer = new FieldFramer((tag, buf, start, end, offset) => {
    if (tag === 0x12) this.filler!.sample(buf, start, end, offset);
  });
  private tables: Omit<Profile, 'samples' | 'labelSets'> | null = null;

  constructor(options: ProfileDecoderOptions = {}) {
    this.maxDecodedBytes = options.maxDecodedBytes ?? 3 * DEFAULT_MAX_DECOMPRESSED_BYTES;
  }

  private charge(bytes: number): void {
    this.decodedBytes += bytes;
    if (this.decodedBytes > this.maxDecodedBytes) {
      throw new ProfileError(
        'too-large',
        `the profile would need more than ${Math.round(this.maxDecodedBytes / 1048576)} MiB of memory once decoded (${this.sampleCount} samples, ${this.locId.length} locations, ${this.strings.length} strings so far). It may be crafted to expand; if it is genuine, raise the decompression cap.`,
      );
    }
  }

  /** Pass 1: everything except the samples, which are counted. */
  scan(chunk: Uint8Array): void {
    if (!this.sniffed) {
      // What the data is gets decided on its first SNIFF_BYTES, however the chunks fall.
      const head = new Uint8Array(this.head.length + chunk.length);
      head.set(this.head);
      head.set(chunk, this.head.length);
      this.head = head;
      if (head.length < SNIFF_BYTES) return;
      this.sniffAndScanHead();
      return;
    }
    this.push(chunk);
  }

  /**
   * Ends a check of the data's first bytes only (`checkProfileStart`): decides what they are, however few,
   * and at least one field must end within them (a profile's first fields are a few bytes each).
   */
  endStart(): void {
    if (!this.sniffed) this.sniffAndScanHead();
    if (this.fieldCount === 0 && this.scanner.bytesSeen > 0) throw notAProfile();
  }

  private sniffAndScanHead(): void {
    this.sniffed = true;
    const head = this.head;
    this.head = new Uint8Array(0);
    if (head.length === 0) return;
    const notProfile = describeNonProfile(head);
    if (notProfile) throw new ProfileError('not-a-profile', notProfile);
    this.push(head);
  }

  private push(chunk: Uint8Array): void {
    try {
      this.scanner.push(chunk);
    } catch (error) {
      throw this.fieldCount === 0 && error instanceof ProfileError && error.code === 'malformed' ? notAProfile() : error;
    }
  }

  /** Ends pass 1: checks the tables and sizes the sample arrays. */
  endScan(): void {
    if (!this.sniffed) this.sniffAndScanHead();
    if (this.scanner.bytesSeen === 0) throw new ProfileError('empty', 'the profile is empty (0 bytes): the capture produced no data. Capture it again.');
    this.scanner.finish();
    const strings = this.strings.length > 0 ? this.strings : [''];
    if (strings[0] !== '') {
      throw new ProfileError('malformed', `the profile's string table must start with "" but starts with ${JSON.stringify(strings[0]!.slice(0, 40))}: the file is not a valid profile.`);
    }
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
    const functions = this.functionTable(strings.length, str);
    const functionIndex = new IdIndex(functions.id, 'function');
    const locations = this.locationTable(mappingIndex, functionIndex);
    const locationIndex = new IdIndex(locations.id, 'location');
    this.tables = {
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
    };
    const T = sampleTypes.length;
    this.charge(this.sampleCount * (8 + 4 * T) + this.locationRefCount * (locations.count <= 0x10000 ? 2 : 4));
    this.filler = new SampleFiller({
      sampleCount: this.sampleCount,
      locationRefCount: this.locationRefCount,
      valueCount: sampleTypes.length,
      locationCount: locations.count,
      locationIndex,
      stringCount: strings.length,
      checkString: str,
    });
  }

  /** Pass 2: the samples. */
  fill(chunk: Uint8Array): void {
    if (!this.filler) throw new Error('ProfileDecoder.fill called before endScan');
    this.fillFramer.push(chunk);
  }

  finish(): Profile {
    if (!this.filler || !this.tables) throw new Error('ProfileDecoder.finish called before endScan');
    this.fillFramer.finish();
    const { samples, labelSets } = this.filler.finish();
    if (samples.count !== this.sampleCount) throw new ProfileError('malformed', 'the profile changed between the two decoding passes.');
    return { ...this.tables, samples, labelSets };
  }

  private reader(buf: Uint8Array, start: number, end: number, offset: number): WireReader {
    if (this.r.buf !== buf) this.r = new WireReader(buf, 'the profile', false);
    this.r.pos = start;
    this.r.end = end;
    this.r.offsetBase = offset - start;
    return this.r;
  }

  private scanField(tag: number, buf: Uint8Array, start: number, end: number, offset: number): void {
    const field = tag >>> 3;
    const wire = tag & 7;
    if (this.fieldCount++ === 0 && (field < 1 || field > 15)) throw notAProfile();
    const r = this.reader(buf, start, end, offset);
    const expected = PROFILE_FIELD_WIRE[field];
    if (field === 13) {
      if (wire !== WIRE_BYTES && wire !== WIRE_VARINT) r.expect(WIRE_VARINT, wire, 'comment');
    } else if (expected !== undefined && wire !== expected) {
      r.expect(expected, wire, PROFILE_FIELD_NAME[field]!);
    }
    switch (field) {
      case 1: this.charge(COST.sampleType); this.sampleTypes.push(this.valueType(r, 'a sample type')); break;
      case 2: this.charge(COST.sample); this.countSample(r, buf); break;
      case 3: this.charge(COST.mapping); this.mappings.push(this.mapping(r)); break;
      case 4: this.charge(COST.location); this.location(r); break;
      case 5: this.charge(COST.function); this.function(r); break;
      case 6: this.charge(COST.string + (end - start)); this.strings.push(decodeUtf8(buf, start, end)); break;
      case 7: this.dropFrames = r.int('drop_frames'); break;
      case 8: this.keepFrames = r.int('keep_frames'); break;
      case 9:
        if (this.timeNanos !== 0n) {
          throw new ProfileError('concatenated', 'the file holds several profiles concatenated one after another (time_nanos appears twice). Split them, or merge them with `go tool pprof -proto a b > merged.pb.gz`.');
        }
        this.timeNanos = r.bigInt('time_nanos');
        break;
      case 10: this.durationNanos = r.bigInt('duration_nanos'); break;
      case 11: this.periodType = this.valueType(r, 'the period type'); break;
      case 12: this.period = r.int('period'); break;
      case 13:
        if (wire === WIRE_BYTES) {
          while (r.pos < end) {
            this.charge(COST.comment);
            this.comments.push(r.int('comment'));
          }
        } else {
          this.charge(COST.comment);
          this.comments.push(r.int('comment'));
        }
        break;
      case 14: this.defaultSampleType = r.int('default_sample_type'); break;
      case 15: this.docUrl = r.int('doc_url'); break;
      default:
        // An unknown field: skipped, as Go's decoder does.
    }
  }

  private valueType(r: WireReader, where: string): RawValueType {
    const v: RawValueType = { type: 0, unit: 0 };
    const end = r.end;
    while (r.pos < end) {
      const tag = r.uint32(where);
      if (tag === 0x08) v.type = r.int(where);
      else if (tag === 0x10) v.unit = r.int(where);
      else {
        if (tag >>> 3 === 1 || tag >>> 3 === 2) r.expect(WIRE_VARINT, tag & 7, `${where} field`);
        r.skip(tag & 7, where);
      }
    }
    return v;
  }

  private mapping(r: WireReader): RawMapping {
    const m = {
      id: 0, memoryStart: 0n, memoryLimit: 0n, fileOffset: 0n, fileIndex: 0, buildIdIndex: 0,
      hasFunctions: false, hasFilenames: false, hasLineNumbers: false, hasInlineFrames: false,
    };
    const end = r.end;
    while (r.pos < end) {
      const tag = r.uint32('a mapping');
      const field = tag >>> 3;
      if (field >= 1 && field <= 10) r.expect(WIRE_VARINT, tag & 7, 'a mapping field');
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
        default: r.skip(tag & 7, 'a mapping');
      }
    }
    return m;
  }

  private location(r: WireReader): void {
    const end = r.end;
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
          this.charge(COST.line);
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
    this.locId.push(id);
    this.locMappingId.push(mappingId);
    this.locAddress.push(address);
    this.locFolded.push(folded);
  }

  private function(r: WireReader): void {
    const end = r.end;
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
    this.fnId.push(id);
    this.fnName.push(name);
    this.fnSystemName.push(systemName);
    this.fnFilename.push(filename);
    this.fnStartLine.push(startLine);
  }

  /** Counts a sample's location references without decoding them (the fill pass checks them). */
  private countSample(r: WireReader, buf: Uint8Array): void {
    const end = r.end;
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
      } else {
        r.skip(tag & 7, 'a sample');
      }
    }
    this.sampleCount++;
  }

  private functionTable(stringCount: number, str: (index: number, where: string) => string): FunctionTable {
    const id = this.fnId.finish();
    const n = id.length;
    const columns = [this.fnName.finish(), this.fnSystemName.finish(), this.fnFilename.finish()] as const;
    const what = ['name', 'system name', 'file name'];
    const [name, systemName, filename] = columns.map((column, c) => {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const index = column[i]!;
        if (index < 0 || index >= stringCount) str(index, `function ${id[i]} ${what[c]}`);
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
}

function notAProfile(): ProfileError {
  return new ProfileError('not-a-profile', 'the data is not a pprof profile: it does not start with a profile.proto field. Check that the file is a profile from /debug/pprof (not a trace, a page or a log).');
}
