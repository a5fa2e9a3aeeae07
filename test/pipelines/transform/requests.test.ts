/** Rebuild requests on the transform queue, and how a batch of them becomes one build. */
import { describe, expect, it } from 'vitest';
import { parseTransformRequest, planRebuild } from '../../../pipelines/transform/requests.js';

describe('planRebuild', () => {
  it('builds the union of the contracts asked for, sorted, once', () => {
    expect(
      planRebuild(
        [
          { contracts: ['vrs-a'], reason: 'u1' },
          { contracts: ['plp-a', 'vrs-a'], reason: 'u2' },
        ],
        true,
      ),
    ).toEqual(['plp-a', 'vrs-a']);
  });
  it('builds in full when any request asks for it', () => {
    expect(
      planRebuild(
        [
          { contracts: ['vrs-a'], reason: 'u1' },
          { full: true, reason: 'reference' },
        ],
        true,
      ),
    ).toBe('full');
  });
  it('builds in full when there is no build yet to add to', () => {
    expect(planRebuild([{ contracts: ['vrs-a'], reason: 'u1' }], false)).toBe('full');
  });
});

describe('parseTransformRequest', () => {
  it('reads either shape', () => {
    expect(parseTransformRequest('{"contracts":["plp-a"],"reason":"upload x"}')).toEqual({
      contracts: ['plp-a'],
      reason: 'upload x',
    });
    expect(parseTransformRequest('{"full":true,"reason":"reference"}')).toEqual({
      full: true,
      reason: 'reference',
    });
  });
  it('says what is wrong with anything else', () => {
    expect(() => parseTransformRequest('rebuild please')).toThrow(/must be JSON/);
    expect(() => parseTransformRequest('{"contracts":[],"reason":"x"}')).toThrow(
      /must be \{"full":true/,
    );
    expect(() => parseTransformRequest('{"contracts":["../etc"],"reason":"x"}')).toThrow(/must be/);
  });
});
