import { describe, expect, it } from 'vitest';
import { formatDuration, relativeTime } from '../../src/shared/relative-time';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('relativeTime', () => {
  it('says "in …" for the future, "… ago" for the past, "now" within a second', () => {
    const now = Date.parse('2026-11-25T10:00:00Z');
    expect(relativeTime(now, now)).toBe('now');
    expect(relativeTime(now + 400, now)).toBe('now');
    expect(relativeTime(now + 45 * S, now)).toBe('in 45 s');
    expect(relativeTime(now + 12 * M + 30 * S, now)).toBe('in 12 min');
    expect(relativeTime(now - 3 * H, now)).toBe('3 h ago');
    expect(relativeTime(now - (3 * H + 20 * M), now)).toBe('3 h 20 min ago');
    expect(relativeTime(now - 30 * H, now)).toBe('30 h ago');
    expect(relativeTime(now + 5 * D, now)).toBe('in 5 days');
    expect(relativeTime(now - 90 * D, now)).toBe('3 months ago');
    expect(relativeTime(now - 3 * 365 * D, now)).toBe('3 years ago');
  });

  it('formats durations regardless of sign', () => {
    expect(formatDuration(-59 * S)).toBe('59 s');
    expect(formatDuration(60 * M)).toBe('1 h');
    expect(formatDuration(12 * H + 5 * M)).toBe('12 h');
  });
});
