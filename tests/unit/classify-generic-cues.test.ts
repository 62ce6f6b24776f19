import { describe, expect, it } from 'vitest';
import { classify } from '../../src/core/classify.js';

// General cues, each read in several phrasings of our own, for brands the classifier has
// never seen (the names below are made up).
const brand = { names: ['Lumo'], handles: ['@lumo'] };

describe('general cues', () => {
  it('reads superlatives of praise words and praise for ease as positive', () => {
    for (const text of [
      'The loveliest support chat I have had in years',
      'Such a refreshing change from my old bank',
      'Nicest delivery driver on the planet, @lumo',
      'Setting up @lumo was painless',
      'Friendliest staff I have met at any gym',
    ]) {
      expect(classify(text, brand).polarity, text).toBe('positive');
    }
    // Asking for the easiest way is a question, not praise.
    expect(classify("What's the easiest way to get a receipt from @lumo?", brand).polarity).toBe('neutral');
  });

  it('reads a wish as a feature request, not as praise: its praise words are hoped for', () => {
    for (const text of [
      'Would love it if @lumo let me export my notes as markdown',
      'I would love it if the app let me pick a dark theme',
      "Would love it if you'd add a widget for the home screen",
    ]) {
      const c = classify(text, brand);
      expect(c.intent, text).toBe('feature-request');
      expect(c.flags, text).not.toContain('happy');
    }
  });

  it('reads "this is how you treat people" as an angry complaint', () => {
    for (const text of [
      'This is how you treat people who have paid you for six years?',
      'Is this how you treat loyal customers? Three weeks and no refund',
      'So this is how @lumo treats its members. Unreal.',
      'No way to treat customers who have been with you since day one',
    ]) {
      const c = classify(text, brand);
      expect(c.polarity, text).toBe('negative');
      expect(c.flags, text).toContain('angry');
    }
  });

  it('reads telling a whole group to use the brand as word of mouth, not an outage', () => {
    for (const text of [
      'Told my whole office to get the Lumo app',
      'Got my entire department to switch to @lumo',
      'Convinced my whole class to try @lumo for revision',
    ]) {
      const c = classify(text, brand);
      expect(c.intent, text).toBe('praise');
      expect(c.flags, text).toContain('happy');
    }
    // A whole office that cannot get in is still an outage.
    expect(classify('The whole office is down, nobody can log in to @lumo', brand).intent).toBe('outage');
  });

  it('reads Dutch "werkt … niet" and "doet het … niet" as a fault, not "werkt niet alleen"', () => {
    for (const text of [
      'De app van @lumo werkt sinds gisteren niet meer, wat een gedoe',
      'Inloggen werkt al twee dagen niet',
      'De betaling doet het weer niet',
    ]) {
      const c = classify(text, brand);
      expect(c.language, text).toBe('nl');
      expect(c.polarity, text).toBe('negative');
    }
    expect(classify('Het werkt niet alleen snel maar ook goed', brand).polarity).not.toBe('negative');
  });

  it('reads a change that breaks something, a fault that comes back each time and data the product lost as a bug', () => {
    for (const text of [
      'Heads-up: the @lumo Python SDK 3.2.0 breaks on Python 3.9. Pinning 3.1.4 for now.',
      'the last @lumo update broke my calendar sync',
      '@lumo dark mode resets every time I restart the app',
      'the @lumo app logs me out every time I switch tabs',
      'the new @lumo release wiped all my playlists',
    ]) {
      expect(classify(text, brand).intent, text).toBe('bug');
    }
    for (const text of ['@lumo this story breaks my heart', 'I wiped my phone and @lumo restored everything in a minute', '@lumo broke the internet with that ad lol']) {
      expect(classify(text, brand).intent, text).not.toBe('bug');
    }
  });
});
