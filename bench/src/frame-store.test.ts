import { describe, expect, it } from 'vitest';
import { FrameStore } from './frame-store.js';

describe('FrameStore', () => {
  it('gives back every frame whole, in order, with its time and client, across chunk boundaries', () => {
    // 64-byte chunks: frames of 1..40 bytes keep crossing into a new chunk, and more chunks than allocated up front.
    const store = new FrameStore(500, 64, 64);
    const shared = Buffer.alloc(64);
    const sent: string[] = [];
    for (let i = 0; i < 300; i++) {
      const text = `{"id":"${i}"}`.padEnd(1 + (i % 40), '.');
      shared.fill(0);
      shared.write(text);
      store.push(shared.subarray(0, Buffer.byteLength(text)), 1000 + i, i % 7);
      sent.push(text);
    }
    // The reader's buffer is reused: what the store kept must be its own copy.
    shared.fill(120);
    const seen: [string, number, number][] = [];
    store.forEach((bytes, at, client) => {
      seen.push([bytes.toString(), at, client]);
    });
    expect(seen).toEqual(sent.map((text, i) => [text, 1000 + i, i % 7]));
    expect(store.size).toBe(300);
    expect(store.dropped).toBe(0);
  });

  it('counts what does not fit as dropped instead of growing past its size, and starts over when cleared', () => {
    const store = new FrameStore(2, 1024);
    for (const t of ['a', 'b', 'c']) store.push(Buffer.from(t), 1, 0);
    expect(store.size).toBe(2);
    expect(store.dropped).toBe(1);
    store.clear();
    store.push(Buffer.from('z'), 2, 3);
    const seen: string[] = [];
    store.forEach((b) => {
      seen.push(b.toString());
    });
    expect(seen).toEqual(['z']);
  });
});
