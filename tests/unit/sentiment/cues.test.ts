import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/core/classify.js';
import { word } from '../../../src/core/sentiment/cue-pattern.js';
import { cueGatesOf, wordCuesOf } from '../../../src/core/sentiment/cues.js';

// The cue matcher: one-word rules are decided once per word, phrase rules run only when
// their gate words occur. Texts written for this file.

describe('the cue matcher', () => {
  it('matches one-word rules in words and hashtags without running a regex per text', () => {
    expect(wordCuesOf('delayed')?.map((c) => c.text)).toEqual(['delayed']);
    expect(wordCuesOf('timetable')).toBeNull();
    expect(classify('#delayed again').evidence[0]).toBe('disruption: "delayed"');
  });

  it('reads a word before an apostrophe as the regex does ("you\'d" meets the gates of "you")', () => {
    expect(cueGatesOf("you'd")).toEqual(expect.arrayContaining([...(cueGatesOf('you') ?? [])]));
    expect(classify("wish you'd open a store in Leeds").intent).toBe('feature-request');
  });

  it('shows the leftmost match of a class, as one alternation over the text would', () => {
    expect(classify('my order was late and then cancelled').evidence[0]).toBe('disruption: "late"');
  });

  it('rejects a one-word rule written with a space', () => {
    expect(() => word(String.raw`\bon hold\b`)).toThrow(/one word/);
  });
});
