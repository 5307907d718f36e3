// The hot loop of profile decoding: each sample's location ids (mapped to location positions), values and
// labels, written into typed arrays sized by the first pass. No closures, no allocation per sample; varints
// below 2^28 (nearly all ids, counts and indices) are decoded inline, longer ones through WireReader.

import type { IdIndex } from './idIndex';
import { LabelSetBuilder } from './labelSets';
import type { LabelSetTable, SampleTable } from './profile';
import { ProfileError } from './profileError';
import { WIRE_BYTES, WIRE_VARINT, WireReader } from './protoWire';

export interface SampleFillerInput {
  readonly sampleCount: number;
  readonly locationRefCount: number;
  readonly valueCount: number;
  readonly locationCount: number;
  readonly locationIndex: IdIndex;
  readonly stringCount: number;
  /** Throws the error for a string index out of range. */
  readonly checkString: (index: number, where: string) => string;
}

/** The value of the last `scanSmallVarint`. */
let scanned = 0;

/**
 * Decodes a varint of at most four bytes (below 2^28) at `p` into `scanned` and returns the position after
 * it, or -1 when it is longer. Reading past the end yields a position beyond it, which callers check.
 */
function scanSmallVarint(buf: Uint8Array, p: number): number {
  let b = buf[p++]!;
  let v = b & 0x7f;
  if (b >= 0x80) {
    b = buf[p++]!;
    v |= (b & 0x7f) << 7;
    if (b >= 0x80) {
      b = buf[p++]!;
      v |= (b & 0x7f) << 14;
      if (b >= 0x80) {
        b = buf[p++]!;
        v |= (b & 0x7f) << 21;
        if (b >= 0x80) return -1;
      }
    }
  }
  scanned = v;
  return p;
}

export class SampleFiller {
  private readonly locationStart: Uint32Array;
  private readonly locations: Uint16Array | Uint32Array;
  /** 32-bit until the first value that does not fit, then 64-bit floats. */
  private values: Int32Array | Float64Array;
  private wide = false;
  private readonly labelSet: Uint32Array;
  private readonly labels = new LabelSetBuilder();
  private readonly dense: Int32Array | null;
  private r = new WireReader(new Uint8Array(0), 'the profile', false);
  private sampleIndex = 0;
  private locPos = 0;

  constructor(private readonly input: SampleFillerInput) {
    this.locationStart = new Uint32Array(input.sampleCount + 1);
    this.locations = input.locationCount <= 0x10000 ? new Uint16Array(input.locationRefCount) : new Uint32Array(input.locationRefCount);
    this.values = new Int32Array(input.sampleCount * input.valueCount);
    this.labelSet = new Uint32Array(input.sampleCount);
    this.dense = input.locationIndex.dense;
  }

  private reader(buf: Uint8Array, pos: number, end: number, base: number): WireReader {
    if (this.r.buf !== buf) this.r = new WireReader(buf, 'the profile', false);
    this.r.pos = pos;
    this.r.end = end;
    this.r.offsetBase = base;
    return this.r;
  }

  private storeValue(valuePos: number, valueEnd: number, v: number): void {
    if (!this.wide && (v | 0) !== v) {
      this.values = Float64Array.from(this.values);
      this.wide = true;
    }
    if (valuePos < valueEnd) this.values[valuePos] = v;
  }

  private locationPosition(id: number, sample: number): number {
    const dense = this.dense;
    const index = dense !== null ? (id < dense.length ? dense[id]! : -1) : this.input.locationIndex.get(id);
    if (index < 0) throw new ProfileError('bad-index', `sample ${sample} refers to location ${id}, which the profile does not define.`);
    return index;
  }

  /** Decodes one sample message, buf[start..end); `offset` is its position in the whole data. */
  sample(buf: Uint8Array, start: number, end: number, offset: number): void {
    const sample = this.sampleIndex;
    if (sample >= this.input.sampleCount) throw new ProfileError('malformed', 'the profile changed between the two decoding passes.');
    const base = offset - start;
    const valueCount = this.input.valueCount;
    const locations = this.locations;
    let locPos = this.locPos;
    this.locationStart[sample] = locPos;
    let valuePos = sample * valueCount;
    const valueEnd = valuePos + valueCount;
    let seenValues = 0;
    let p = start;
    while (p < end) {
      let q = scanSmallVarint(buf, p);
      let tag = scanned;
      if (q < 0 || q > end) {
        const r = this.reader(buf, p, end, base);
        tag = r.uint32('a sample');
        q = r.pos;
      }
      p = q;
      if (tag === 0x0a || tag === 0x12 || tag === 0x1a) {
        const r = this.reader(buf, p, end, base);
        const fieldEnd = r.lengthDelimited('a sample');
        p = r.pos;
        if (tag === 0x0a) {
          const dense = this.dense;
          const denseLength = dense !== null ? dense.length : 0;
          while (p < fieldEnd) {
            q = scanSmallVarint(buf, p);
            let id = scanned;
            if (q < 0 || q > fieldEnd) {
              const rr = this.reader(buf, p, fieldEnd, base);
              id = rr.uint('a sample location id');
              q = rr.pos;
            }
            p = q;
            const index = dense !== null && id < denseLength ? dense[id]! : -1;
            locations[locPos++] = index >= 0 ? index : this.locationPosition(id, sample);
          }
        } else if (tag === 0x12) {
          while (p < fieldEnd) {
            q = scanSmallVarint(buf, p);
            let v = scanned;
            if (q < 0 || q > fieldEnd) {
              const rr = this.reader(buf, p, fieldEnd, base);
              v = rr.int('a sample value');
              q = rr.pos;
            }
            p = q;
            if (!this.wide || valuePos >= valueEnd) this.storeValue(valuePos, valueEnd, v);
            else this.values[valuePos] = v;
            valuePos++;
            seenValues++;
          }
        } else {
          this.label(buf, p, fieldEnd, base, sample);
        }
        p = fieldEnd;
      } else if (tag === 0x08 || tag === 0x10) {
        const r = this.reader(buf, p, end, base);
        if (tag === 0x08) {
          locations[locPos++] = this.locationPosition(r.uint('a sample location id'), sample);
        } else {
          this.storeValue(valuePos, valueEnd, r.int('a sample value'));
          valuePos++;
          seenValues++;
        }
        p = r.pos;
      } else {
        const r = this.reader(buf, p, end, base);
        const field = tag >>> 3;
        if (field >= 1 && field <= 3) r.expect(field === 3 ? WIRE_BYTES : WIRE_VARINT, tag & 7, `sample field ${field}`);
        r.skip(tag & 7, 'a sample');
        p = r.pos;
      }
    }
    if (seenValues !== valueCount) {
      throw new ProfileError('value-count', `sample ${sample} has ${seenValues} values but the profile declares ${valueCount} sample types (${valueCount === 0 ? 'none' : 'one value per type is required'}).`);
    }
    this.locPos = locPos;
    this.labelSet[sample] = this.labels.finishSample();
    this.sampleIndex = sample + 1;
  }

  private label(buf: Uint8Array, p: number, end: number, base: number, sample: number): void {
    const r = this.reader(buf, p, end, base);
    let key = 0;
    let strIndex = 0;
    let num = 0;
    let unit = 0;
    while (r.pos < end) {
      const labelTag = r.uint32('a sample label');
      switch (labelTag) {
        case 0x08: key = r.int('a label key'); break;
        case 0x10: strIndex = r.int('a label value'); break;
        case 0x18: num = r.int('a numeric label value'); break;
        case 0x20: unit = r.int('a numeric label unit'); break;
        default:
          if (labelTag >>> 3 >= 1 && labelTag >>> 3 <= 4) r.expect(WIRE_VARINT, labelTag & 7, 'a label field');
          r.skip(labelTag & 7, 'a sample label');
      }
    }
    const stringCount = this.input.stringCount;
    if (key < 0 || key >= stringCount) this.input.checkString(key, `sample ${sample} label key`);
    if (strIndex < 0 || strIndex >= stringCount) this.input.checkString(strIndex, `sample ${sample} label value`);
    if (unit < 0 || unit >= stringCount) this.input.checkString(unit, `sample ${sample} label unit`);
    // As in pprof: a label with neither a string nor a number nor a unit carries nothing.
    if (strIndex !== 0 || num !== 0 || unit !== 0) this.labels.add(key, strIndex, strIndex !== 0 ? 0 : num, strIndex !== 0 ? 0 : unit);
  }

  finish(): { samples: SampleTable; labelSets: LabelSetTable } {
    const count = this.sampleIndex;
    if (count !== this.input.sampleCount || this.locPos !== this.input.locationRefCount) {
      throw new ProfileError('malformed', 'the profile changed between the two decoding passes (was the file being written?). Read it again.');
    }
    this.locationStart[count] = this.locPos;
    return {
      samples: {
        count,
        locationStart: this.locationStart,
        locations: this.locPos === this.locations.length ? this.locations : this.locations.subarray(0, this.locPos),
        values: this.values,
        labelSet: this.labelSet,
      },
      labelSets: this.labels.table(),
    };
  }
}
