// Rectangles collected by fill colour during a frame and filled with one path per colour: a frame of a
// zoomed-out trace has thousands of small rectangles in a handful of colours, and switching fillStyle
// per rectangle would cost more than drawing them.

export class RectBatch {
  private readonly batches = new Map<string, { data: Float32Array; count: number }>();

  add(fill: string, x: number, y: number, width: number, height: number): void {
    let batch = this.batches.get(fill);
    if (!batch) this.batches.set(fill, (batch = { data: new Float32Array(1024), count: 0 }));
    if ((batch.count + 1) * 4 > batch.data.length) {
      const grown = new Float32Array(batch.data.length * 2);
      grown.set(batch.data);
      batch.data = grown;
    }
    const at = batch.count * 4;
    batch.data[at] = x;
    batch.data[at + 1] = y;
    batch.data[at + 2] = width;
    batch.data[at + 3] = height;
    batch.count++;
  }

  /** Fills everything collected, colour by colour, and empties the batch. */
  flush(context: CanvasRenderingContext2D): void {
    for (const [fill, batch] of this.batches) {
      if (batch.count === 0) continue;
      context.fillStyle = fill;
      context.beginPath();
      const data = batch.data;
      for (let i = 0; i < batch.count * 4; i += 4) context.rect(data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!);
      context.fill();
      batch.count = 0;
    }
  }
}
