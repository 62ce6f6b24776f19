import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/core/classify.js';
import { holdsAny, word } from '../../../src/core/sentiment/cue-pattern.js';
import { CUE_CLASSES, cueGatesOf, wordCuesOf } from '../../../src/core/sentiment/cues.js';

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

  it("runs a phrase rule's regex only when the text holds one of its strings, which every match holds", () => {
    const texts = [
      'no one at the desk, nobody answering, no body to talk to, noone cares', 'loved the 3 hour wait /s', '#not impressed',
      '#sarcasm at its finest', 'just get @brand.', 'Seriously, book them already!', 'try them now.', 'go with @brand today',
      'I got them yesterday', 'one more thing: get it sorted', 'I need to board in 20 mins', 'she has to leave within an hour',
      'we have to check out in 2hrs', 'got to pay someone in ten minutes', 'the train leaves in 5 minutes', 'boards in an hour',
      'switching to another bank', 'moving over to a different provider', 'going with a new carrier', 'taking my money to the competition',
      'jumped to a rival', 'refunded in 48 hours', 'sorted within a day', 'fixed by lunchtime', 'replaced the next morning', 'rebooked in 2hrs',
      'well done team', 'nice work on the app', 'good job!', 'shout out to the crew', 'hats off to you', 'props to the pilot',
    ];
    let checked = 0;
    for (const c of CUE_CLASSES) {
      for (const rule of c.rules) {
        if (rule.kind !== 'phrase' || rule.needs === null) continue;
        for (const t of texts) {
          const m = rule.pattern.exec(t.toLowerCase());
          if (m === null) continue;
          expect(holdsAny(m[0], rule.needs), `${rule.pattern.source} on "${t}"`).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(26);
    expect(classify('nobody at the counter for an hour').evidence.join(' ')).toMatch(/service/);
    expect(classify('best airline ever /s').evidence.join(' ')).toMatch(/sarcasm/);
    expect(classify('Seriously, try them.').flags).toContain('happy');
  });
});
