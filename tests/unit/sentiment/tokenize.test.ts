import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../src/core/sentiment/tokenize.js';

const kinds = (text: string): string[] => tokenize(text).map((t) => `${t.kind}:${t.norm}`);

describe('the tokenizer', () => {
  it('keeps contractions, handles, hashtags and URLs whole', () => {
    expect(kinds("@Acme don't #FAIL https://t.co/x1")).toEqual(['handle:@acme', "word:don't", 'hashtag:fail', 'url:https://t.co/x1']);
  });

  it('reads emoticons in both directions, winks included, but not a colon before a word', () => {
    expect(kinds(':) (: ;-) :D <3 re:dallas')).toEqual([
      'emoticon::)', 'emoticon:(:', 'emoticon:;-)', 'emoticon::d', 'emoticon:<3', 'word:re', 'punct::', 'word:dallas',
    ]);
  });

  it('keeps a time unit on its number and splits other letters off', () => {
    expect(kinds('2hrs 4pm 737max')).toEqual(['number:2hrs', 'number:4pm', 'number:737', 'word:max']);
  });

  it('groups runs of ! and ? and reads emoji as one token', () => {
    expect(kinds('why?!? 😡')).toEqual(['word:why', 'punct:?!?', 'emoji:😡']);
  });
});
