// One frame table and stack table for the whole trace, over the recorder's string table. Each generation
// of a trace has its own string and stack IDs; these builders intern them, so the same function name or
// stack from different generations gets one index, and the model stays small.

import type { StringTable } from '../../../common/stringTable';
import type { FrameTable, StackTable } from './executionTraceModel';
import type { Generation } from './generationReader';

export class StackInterner {
  private readonly frameIndex = new Map<string, number>();
  private readonly framePc: number[] = [];
  private readonly frameFunc: number[] = [];
  private readonly frameFile: number[] = [];
  private readonly frameLine: number[] = [];
  private readonly stackIndex = new Map<string, number>([['', 0]]);
  private readonly stackOffsets: number[] = [0, 0];
  private readonly stackFrames: number[] = [];

  constructor(private readonly strings: StringTable) {}

  /** Maps generation-local stack IDs to stack indices, interning every stack of the generation. */
  internGeneration(g: Generation): Map<number, number> {
    const stringIndex = new Map<number, number>();
    const str = (id: number): number => {
      let i = stringIndex.get(id);
      if (i === undefined) {
        i = this.strings.intern(id === 0 ? '' : g.strings.get(id) ?? '');
        stringIndex.set(id, i);
      }
      return i;
    };
    const frameOfPc = new Map<number, number>();
    const stacks = new Map<number, number>();
    for (const [id, pcs] of g.stacks) {
      const frames: number[] = [];
      for (const pc of pcs) {
        let frame = frameOfPc.get(pc);
        if (frame === undefined) {
          const raw = g.frames.get(pc)!;
          frame = this.internFrame(pc, str(raw.funcId), str(raw.fileId), raw.line);
          frameOfPc.set(pc, frame);
        }
        frames.push(frame);
      }
      stacks.set(id, this.internStack(frames));
    }
    return stacks;
  }

  private internFrame(pc: number, func: number, file: number, line: number): number {
    const key = `${pc},${func},${file},${line}`;
    let i = this.frameIndex.get(key);
    if (i === undefined) {
      i = this.framePc.length;
      this.framePc.push(pc);
      this.frameFunc.push(func);
      this.frameFile.push(file);
      this.frameLine.push(line);
      this.frameIndex.set(key, i);
    }
    return i;
  }

  private internStack(frames: number[]): number {
    const key = frames.join(',');
    let i = this.stackIndex.get(key);
    if (i === undefined) {
      i = this.stackOffsets.length - 1;
      this.stackFrames.push(...frames);
      this.stackOffsets.push(this.stackFrames.length);
      this.stackIndex.set(key, i);
    }
    return i;
  }

  frameTable(): FrameTable {
    return {
      count: this.framePc.length,
      pc: Float64Array.from(this.framePc),
      func: Uint32Array.from(this.frameFunc),
      file: Uint32Array.from(this.frameFile),
      line: Float64Array.from(this.frameLine),
    };
  }

  stackTable(): StackTable {
    return {
      count: this.stackOffsets.length - 1,
      offsets: Uint32Array.from(this.stackOffsets),
      frames: Uint32Array.from(this.stackFrames),
    };
  }
}
