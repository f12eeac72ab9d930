import { describe, expect, it } from 'vitest';
import { asyncContextFramesOn } from './async-context-frames.js';

describe('asyncContextFramesOn', () => {
  it('is on for Node 22 only with the flag, from the command line or NODE_OPTIONS', () => {
    expect(asyncContextFramesOn('22.23.3', [], '')).toBe(false);
    expect(asyncContextFramesOn('22.23.3', ['--experimental-async-context-frame'], '')).toBe(true);
    expect(asyncContextFramesOn('22.23.3', [], '--max-old-space-size=4096 --experimental-async-context-frame')).toBe(true);
  });
  it('is on from Node 24 unless turned off', () => {
    expect(asyncContextFramesOn('24.1.0', [], '')).toBe(true);
    expect(asyncContextFramesOn('24.1.0', [], '--no-experimental-async-context-frame')).toBe(false);
  });
});
